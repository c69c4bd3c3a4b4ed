import { reportInstrumentationError, safely, settle, type AnyFunction, type FunctionExportPatcher } from '@dyntel/instrumentation-kit';
import { RetryOutcome } from '@dyntel/semconv';
import { PRetryCall, type PRetryCallback } from './p-retry-call';
import { pRetryFamily, pRetryPlan, type PRetryFamily } from './p-retry-plan';
import type { RetryTelemetry } from './telemetry';

/** One p-retry module copy: its own function and how that major works. */
interface PRetryModule {
  readonly original: AnyFunction;
  readonly family: PRetryFamily;
}

const CALLBACKS: readonly PRetryCallback[] = ['onFailedAttempt', 'shouldRetry', 'shouldConsumeRetry'];

/**
 * Instruments p-retry 4-9: its export (CJS `module.exports`, ESM `default`) and, from 7 on,
 * `makeRetriable`, which calls the module's own function. Each call is a logical retried call;
 * each invocation of the function it retries is an attempt. Options are copied once, as p-retry
 * copies them, and the copy (with the callbacks wrapped to observe them) is what p-retry gets,
 * so a getter on the caller's options runs as often as without the instrumentation.
 */
export class PRetryPatcher implements FunctionExportPatcher {
  readonly moduleName = 'p-retry';
  readonly #modules = new WeakMap<AnyFunction, PRetryModule>();

  constructor(
    private readonly telemetry: RetryTelemetry,
    readonly versions: string,
    private readonly enabled: () => boolean,
  ) {}

  wrapExport(original: AnyFunction, moduleVersion: string | undefined): AnyFunction {
    const module: PRetryModule = { original, family: pRetryFamily(original, moduleVersion) };
    const wrapper = PRetryPatcher.#wrapper(this, module);
    this.#modules.set(wrapper, module);
    return wrapper;
  }

  static #wrapper(patcher: PRetryPatcher, module: PRetryModule): AnyFunction {
    return function pRetry(this: unknown, ...args: unknown[]): unknown {
      return patcher.#call(module, this, args, args[0]);
    };
  }

  wrapNamed(name: string, _original: AnyFunction, main: AnyFunction): AnyFunction | undefined {
    const module = this.#modules.get(main);
    if (name !== 'makeRetriable' || module === undefined) return undefined;
    return PRetryPatcher.#makeRetriable(this, module);
  }

  // p-retry's own makeRetriable, through the instrumented call, named after the function it makes retriable.
  static #makeRetriable(patcher: PRetryPatcher, module: PRetryModule): AnyFunction {
    return function makeRetriable(function_: AnyFunction, options: unknown): AnyFunction {
      return function (this: unknown, ...arguments_: unknown[]): unknown {
        return patcher.#call(module, undefined, [() => function_.apply(this, arguments_), options], function_);
      };
    };
  }

  #call(module: PRetryModule, thisArg: unknown, args: unknown[], named: unknown): unknown {
    const { original } = module;
    const input = args[0];
    if (!this.enabled() || typeof input !== 'function') return Reflect.apply(original, thisArg, args);
    let options: Record<PropertyKey, unknown>;
    try {
      options = { ...(args[1] as object) };
    } catch (error) {
      // p-retry's own first step is this copy: it rejects with what the options threw.
      return Promise.reject(error);
    }
    // try/catch rather than safely(): no closure per call on the hot path.
    let run: PRetryCall | undefined;
    try {
      run = this.#start(module, named, args[1], options);
    } catch (error) {
      reportInstrumentationError('starting a p-retry call', error);
    }
    if (run === undefined) return Reflect.apply(original, thisArg, [input, options]);
    const started = run;
    const attempts = function (this: unknown, ...attemptArgs: unknown[]): unknown {
      return started.attempt(input as AnyFunction, this, attemptArgs);
    };
    let result: unknown;
    try {
      result = this.telemetry.runOuterCall(run.call, original, thisArg, [attempts, options]);
    } catch (error) {
      this.#end(run, true, error);
      throw error;
    }
    // No attempt yet: p-retry rejected its options. 4-6 without an instrumented `retry` layer: its refusals are not told.
    if (run.call.attemptCount === 0 || (!module.family.ownLoop && !run.call.lowerLayer)) run.observing = false;
    if (run.observing) return result;
    return settle(run, result, (ended, rejected, settled) => this.#end(ended, rejected, settled));
  }

  #end(run: PRetryCall, rejected: boolean, settled: unknown): void {
    const outcome = safely('classifying a p-retry call', () => run.outcome(rejected, settled), rejected ? RetryOutcome.ABORTED : RetryOutcome.SUCCESS);
    this.telemetry.endCall(run.call, outcome, rejected ? settled : undefined, rejected);
  }

  /** Starts the call and puts the observing callbacks in the copy of the options p-retry gets. */
  #start(module: PRetryModule, named: unknown, given: unknown, options: Record<PropertyKey, unknown>): PRetryCall | undefined {
    const call = this.telemetry.startCall('p-retry', named, given, pRetryPlan(module.family, options));
    if (call === undefined) return undefined;
    const run = new PRetryCall(this.telemetry, call, module.family, options.signal, performance.now());
    call.observer = run;
    run.observing = observable(module.family, options);
    for (const name of CALLBACKS) {
      const user = options[name];
      // A value p-retry would reject (or, for 4 and 5, an explicit undefined it would call) is left to p-retry.
      if (typeof user === 'function' || (!(name in options) || (user == null && !module.family.spreadDefaults))) {
        const own = typeof user === 'function' ? (user as AnyFunction) : undefined;
        options[name] = function (this: unknown, ...callbackArgs: unknown[]): unknown {
          return run.callback(name, own, this, callbackArgs);
        };
      } else {
        // What p-retry makes of it (a TypeError when it calls it) is told by its promise only.
        run.observing = false;
      }
    }
    return run;
  }
}

/**
 * Whether a call with these options can end without p-retry's promise being read. Not with a
 * `signal` (5 and later): p-retry rejects with its reason at its next check, after any step,
 * or from its own abort listener. Not with a finite `maxRetryTime` (7 and later): p-retry
 * reads the clock between the steps the instrumentation sees.
 */
function observable(family: PRetryFamily, options: Record<PropertyKey, unknown>): boolean {
  if (family.cancellable && options.signal != null) return false;
  return !family.ownLoop || options.maxRetryTime == null || options.maxRetryTime === Infinity;
}
