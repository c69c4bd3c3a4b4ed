import { types } from 'node:util';
import { BackoffStrategy, RetryOutcome } from '@dyntel/semconv';
import { reportInstrumentationError, settle, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
import type { RetryAttempt } from './retry-attempt';
import type { RetryCall, RetryPlan } from './retry-call';
import type { RetryTelemetry } from './telemetry';

/** The parts of a `retry` 0.x `RetryOperation` the instrumentation reads (private fields, the same in 0.12 and 0.13). */
interface RetryOperationLike {
  _timeouts?: unknown[];
  _cachedTimeouts?: unknown[] | null;
  _originalTimeouts?: unknown[];
  _options?: { forever?: unknown };
  mainError?: () => unknown;
}

/** The `retry` module: its exports object, which builds every operation. */
interface RetryModule {
  operation: AnyFunction;
}

type RetryPrototype = Record<'attempt' | 'retry' | 'stop', AnyFunction>;

// retry's own defaults (lib/retry.js `timeouts`).
const DEFAULT_RETRIES = 10;
const DEFAULT_FACTOR = 2;

/**
 * What a logical call through `retry.operation(options)` is planned to be, as `retry` 0.x
 * computes it: attempts allowed in total (`retries + 1`, retries 10 by default; undefined with
 * `forever` or `retries: Infinity`), and the strategy (`factor` above 1, 2 by default:
 * exponential; 1: constant; an array of timeouts: iterable). Libraries that hand their
 * options to `retry.operation` (p-retry 4-6, async-retry, promise-retry) plan with it too.
 */
export function retryOptionsPlan(options: unknown): RetryPlan {
  if (Array.isArray(options)) return { maxAttempts: options.length + 1, strategy: BackoffStrategy.ITERABLE };
  if (typeof options !== 'object' || options === null) return { maxAttempts: DEFAULT_RETRIES + 1, strategy: BackoffStrategy.EXPONENTIAL };
  const o = options as Record<string, unknown>;
  // retry copies every key it is given (for...in), so a key present with `undefined` counts.
  const retries = Number('retries' in o ? o.retries : DEFAULT_RETRIES);
  const factor = Number('factor' in o ? o.factor : DEFAULT_FACTOR);
  const unbounded = Boolean(o.forever) || retries === Infinity;
  return {
    maxAttempts: unbounded ? undefined : (retries > 0 ? Math.ceil(retries) : 0) + 1,
    strategy: factor > 1 ? BackoffStrategy.EXPONENTIAL : factor === 1 ? BackoffStrategy.CONSTANT : undefined,
  };
}

/** What the patcher knows of one operation. */
class OperationState {
  /** The call of the library that built this operation (p-retry, async-retry, promise-retry): only waits are reported to it. */
  readonly outer: RetryCall | undefined;
  /** The call of a direct user of `retry`, from `attempt()` to the end its user reports. */
  own: RetryCall | undefined = undefined;
  /** The attempt of `own` whose result the user has not reported yet. */
  attempt: RetryAttempt | undefined = undefined;

  constructor(
    readonly plan: RetryPlan,
    readonly options: unknown,
    outer: RetryCall | undefined,
  ) {
    this.outer = outer;
  }
}

/**
 * Instruments `retry` 0.x: `retry.operation(options)` (the plan, and whether an outer library's
 * call is setting it up) and `RetryOperation.prototype` `attempt`, `retry` and `stop`.
 *
 * Used directly, an operation is a logical call from `attempt()`; each invocation of the
 * function given to `attempt()` is an attempt that lasts until the user reports its result:
 * `retry(err)` with an error (failed: a wait is planned, or the call is `exhausted`),
 * `retry()` without one (succeeded: the call is a `success`), `stop()` (`aborted`), the
 * promise the function returned settling (success, or `aborted` with its rejection), or a
 * synchronous throw (`aborted`). A call left open ends as a `success` when `attempt()` is
 * called again on its operation; one never ended is dropped with its operation.
 *
 * Built inside an outer library's call (`telemetry.asOuterCall`), an operation records no call
 * and no attempts: it reports each wait it plans to that call, when `retry(err)` schedules it.
 */
export class RetryOperationPatcher implements ModulePatcher<RetryModule> {
  readonly moduleName = 'retry';
  readonly #states = new WeakMap<object, OperationState>();
  readonly #prototypes = new WeakMap<object, RetryPrototype>();

  constructor(
    private readonly telemetry: RetryTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  /** The exports object that builds operations: the CJS exports, or the default of the ESM namespace (what `import retry from 'retry'` uses). */
  resolve(moduleExports: unknown): RetryModule | undefined {
    for (const candidate of [(moduleExports as { default?: unknown } | null)?.default, moduleExports]) {
      if (typeof (candidate as Partial<RetryModule> | null | undefined)?.operation === 'function' && this.#findPrototype(candidate as RetryModule) !== undefined) {
        return candidate as RetryModule;
      }
    }
    return undefined;
  }

  /** `RetryOperation.prototype` of a module `resolve` accepted. */
  prototypeOf(module: RetryModule): RetryPrototype {
    return this.#findPrototype(module)!;
  }

  // The module does not export the class: its prototype is taken from an operation with no timeouts (it starts nothing).
  #findPrototype(module: RetryModule): RetryPrototype | undefined {
    let proto = this.#prototypes.get(module);
    if (proto === undefined) {
      try {
        const candidate = Object.getPrototypeOf(module.operation([])) as Partial<RetryPrototype> | null;
        if (typeof candidate?.attempt === 'function' && typeof candidate.retry === 'function' && typeof candidate.stop === 'function') {
          proto = candidate as RetryPrototype;
          this.#prototypes.set(module, proto);
        }
      } catch {
        // Not a retry this patcher knows.
      }
    }
    return proto;
  }

  patch(module: RetryModule): void {
    const proto = this.prototypeOf(module);
    this.shim.wrap(module, 'operation', (original) => RetryOperationPatcher.#wrapOperation(this, original));
    this.shim.wrap(proto, 'attempt', (original) => RetryOperationPatcher.#wrapAttempt(this, original));
    this.shim.wrap(proto, 'retry', (original) => RetryOperationPatcher.#wrapRetry(this, original));
    this.shim.wrap(proto, 'stop', (original) => RetryOperationPatcher.#wrapStop(this, original));
  }

  unpatch(module: RetryModule): void {
    const proto = this.prototypeOf(module);
    this.shim.unwrap(module, 'operation');
    for (const name of ['attempt', 'retry', 'stop']) this.shim.unwrap(proto, name);
  }

  static #wrapOperation(patcher: RetryOperationPatcher, original: AnyFunction): AnyFunction {
    return function operation(this: unknown, ...args: unknown[]): unknown {
      const built = Reflect.apply(original, this, args) as unknown;
      try {
        if (typeof built === 'object' && built !== null) patcher.#states.set(built, new OperationState(retryOptionsPlan(args[0]), args[0], patcher.telemetry.outerCall()));
      } catch (error) {
        reportInstrumentationError('planning a retry operation', error);
      }
      return built;
    };
  }

  // An operation built without `retry.operation` (its named ESM export, or the class itself):
  // its attempts are known from its timeouts, its strategy is not.
  #stateOf(operation: RetryOperationLike): OperationState | undefined {
    let state = this.#states.get(operation);
    if (state === undefined) {
      try {
        const timeouts = operation._originalTimeouts;
        const maxAttempts = operation._options?.forever || !Array.isArray(timeouts) ? undefined : timeouts.length + 1;
        state = new OperationState({ maxAttempts }, undefined, this.telemetry.outerCall());
        this.#states.set(operation, state);
      } catch (error) {
        reportInstrumentationError('planning a retry operation', error);
      }
    }
    return state;
  }

  static #wrapAttempt(patcher: RetryOperationPatcher, original: AnyFunction): AnyFunction {
    return function attempt(this: RetryOperationLike, fn: unknown, ...rest: unknown[]): unknown {
      const state = patcher.#stateOf(this);
      if (state === undefined || state.outer !== undefined || typeof fn !== 'function') return Reflect.apply(original, this, [fn, ...rest]);
      patcher.#endOpenCall(state);
      const call = patcher.telemetry.startCall('retry', fn, state.options, state.plan);
      if (call === undefined) return Reflect.apply(original, this, [fn, ...rest]);
      state.own = call;
      const attempts = function (this: unknown, ...args: unknown[]): unknown {
        return patcher.#runAttempt(state, call, fn as AnyFunction, this, args);
      };
      return patcher.telemetry.runCall(call, original, this, [attempts, ...rest]);
    };
  }

  #runAttempt(state: OperationState, call: RetryCall, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    if (state.own !== call || call.ended) return Reflect.apply(fn, thisArg, args);
    // A second retry(err) in one attempt schedules a second timer: the attempt already ended.
    const attempt = this.telemetry.beginAttempt(call);
    if (attempt === undefined) return Reflect.apply(fn, thisArg, args);
    state.attempt = attempt;
    let result: unknown;
    try {
      result = this.telemetry.runAttempt(attempt, fn, thisArg, args);
    } catch (error) {
      this.#attemptSettled(state, call, attempt, true, error);
      throw error;
    }
    // A callback-style attempt returns nothing: it lasts until the user reports its result.
    if (!(result instanceof Promise) && !types.isPromise(result)) return result;
    return settle(attempt, result, (ended, rejected, settled) => this.#attemptSettled(state, call, ended, rejected, settled));
  }

  // The attempt's function threw or its promise settled: when the user has not reported the
  // result through retry() or stop() before, that is the end of the call.
  #attemptSettled(state: OperationState, call: RetryCall, attempt: RetryAttempt, rejected: boolean, settled: unknown): void {
    if (state.attempt !== attempt || call.ended) return;
    state.attempt = undefined;
    this.telemetry.endAttempt(call, attempt, rejected, settled);
    this.telemetry.endCall(call, rejected ? RetryOutcome.ABORTED : RetryOutcome.SUCCESS, rejected ? settled : undefined, rejected);
  }

  // A call whose user never reported the last result: it ended without a failure it retried.
  #endOpenCall(state: OperationState): void {
    const call = state.own;
    if (call === undefined || call.ended) return;
    if (state.attempt !== undefined) this.telemetry.endAttempt(call, state.attempt, false, undefined);
    state.attempt = undefined;
    this.telemetry.endCall(call, RetryOutcome.SUCCESS, undefined, false);
  }

  static #wrapRetry(patcher: RetryOperationPatcher, original: AnyFunction): AnyFunction {
    return function retry(this: RetryOperationLike, ...args: unknown[]): unknown {
      const state = patcher.#states.get(this);
      const call = state?.outer ?? state?.own;
      if (call === undefined || call.ended) return Reflect.apply(original, this, args);
      // What the wait will be, read before retry() takes it from the queue.
      const queue = this._timeouts;
      const head = queue?.[0];
      const cached = this._cachedTimeouts;
      const scheduled = Reflect.apply(original, this, args) as unknown;
      try {
        const error = args[0];
        if (state!.outer === undefined) patcher.#reported(state!, call, error, scheduled === true);
        if (scheduled !== true && error && state!.outer !== undefined) patcher.#refused(this, call, error);
        if (scheduled === true && error) {
          // 0.12 refills the queue from the cache and waits its first; 0.13 waits the cache's last.
          const delay = head !== undefined ? head : cached ? (this._timeouts !== queue ? cached[0] : cached[cached.length - 1]) : undefined;
          patcher.telemetry.backoff(call, Number(delay), error);
        }
      } catch (error) {
        reportInstrumentationError('recording a retry', error);
      }
      return scheduled;
    };
  }

  // The outer library rejects next: its adapter ends the call, with the operation's main error if it wants it.
  #refused(operation: RetryOperationLike, call: RetryCall, error: unknown): void {
    const observer = call.observer;
    if (observer?.retryRefused === undefined) return;
    const mainError = typeof operation.mainError === 'function' ? (operation.mainError() as unknown) : undefined;
    observer.retryRefused(call, error, mainError);
  }

  // A direct user reported the current attempt's result through retry().
  #reported(state: OperationState, call: RetryCall, error: unknown, scheduled: boolean): void {
    const attempt = state.attempt;
    state.attempt = undefined;
    if (attempt !== undefined) this.telemetry.endAttempt(call, attempt, Boolean(error), error);
    if (!error) this.telemetry.endCall(call, RetryOutcome.SUCCESS, undefined, false);
    else if (!scheduled) this.telemetry.endCall(call, RetryOutcome.EXHAUSTED, error, true);
  }

  static #wrapStop(patcher: RetryOperationPatcher, original: AnyFunction): AnyFunction {
    return function stop(this: RetryOperationLike, ...args: unknown[]): unknown {
      const result = Reflect.apply(original, this, args) as unknown;
      const state = patcher.#states.get(this);
      const call = state?.own;
      if (call !== undefined && !call.ended) {
        try {
          // stop() does not say how the attempt in progress went: it ends without an error.
          if (state!.attempt !== undefined) patcher.telemetry.endAttempt(call, state!.attempt, false, undefined);
          state!.attempt = undefined;
          patcher.telemetry.endCall(call, RetryOutcome.ABORTED, call.lastError, true);
        } catch (error) {
          reportInstrumentationError('recording a stopped retry', error);
        }
      }
      return result;
    };
  }
}
