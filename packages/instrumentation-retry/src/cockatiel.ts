import { AsyncLocalStorage } from 'node:async_hooks';
import { BackoffStrategy, RetryOutcome } from '@dyntel/semconv';
import { reportInstrumentationError, safely, settle, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
import type { RetryCall, RetryPlan } from './retry-call';
import type { RetryTelemetry } from './telemetry';

interface Disposable {
  dispose(): void;
}

/** What cockatiel's `onRetry` emits: the failure (`error` or a `value` its result filter flagged), the planned delay and the attempt that failed. */
interface RetryEvent {
  readonly error?: unknown;
  readonly value?: unknown;
  readonly delay: unknown;
}

/** The parts of a cockatiel `RetryPolicy` (3 and 4) the instrumentation reads. */
interface CockatielRetryPolicy {
  readonly options?: { readonly maxAttempts?: unknown; readonly backoff?: unknown };
  onRetry(listener: (event: RetryEvent) => void): Disposable;
  onGiveUp(listener: () => void): Disposable;
}

type Constructor = abstract new (...args: never[]) => unknown;

interface CockatielModule {
  RetryPolicy?: { prototype: Record<string, unknown> };
  ConstantBackoff?: Constructor;
  ExponentialBackoff?: Constructor;
  IterableBackoff?: Constructor;
  DelegateBackoff?: Constructor;
}

/** What is known of a policy once: cockatiel fixes its options when the policy is built. */
interface PolicyWatch {
  readonly plan: RetryPlan;
}

/** One `execute()` in flight, as the policy's events find it. */
class ExecuteState {
  /** Set when the policy gave up (its `onGiveUp`): every allowed attempt failed, or the signal aborted. */
  gaveUp = false;

  constructor(
    readonly call: RetryCall,
    readonly policy: object,
    readonly signal: unknown,
  ) {}
}

/**
 * Instruments cockatiel 3 and 4 retry policies by wrapping `RetryPolicy.prototype.execute`:
 * the call span over `execute()`, an attempt span over each invocation of the user's function.
 * The planned delay comes from the policy's public `onRetry` event (emitted before the wait)
 * and exhaustion from `onGiveUp`, subscribed once per policy on first sight. A policy is shared
 * by concurrent calls, so each `execute()` runs in an async context of its own and the events
 * find their call there: exact under concurrency, and nothing is kept for calls that never end.
 */
export class CockatielRetryPatcher implements ModulePatcher<CockatielModule> {
  readonly moduleName = 'cockatiel';
  readonly #policies = new WeakMap<object, PolicyWatch>();
  readonly #executing = new AsyncLocalStorage<ExecuteState>();
  // How a call's result settled, bound once: settle() calls it with no closure per call.
  readonly #settled = (state: ExecuteState, rejected: boolean, settled: unknown): void => this.#end(state, rejected, settled);

  constructor(
    private readonly telemetry: RetryTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  /** The module that exports `RetryPolicy`: the CJS exports, the ESM namespace, or its default. */
  resolve(moduleExports: unknown): CockatielModule | undefined {
    for (const candidate of [moduleExports, (moduleExports as { default?: unknown } | null)?.default]) {
      const policy: unknown = (candidate as CockatielModule | null | undefined)?.RetryPolicy;
      if (typeof policy === 'function' && typeof (policy.prototype as Record<string, unknown> | undefined)?.execute === 'function') {
        return candidate as CockatielModule;
      }
    }
    return undefined;
  }

  prototypeOf(module: CockatielModule): object {
    return module.RetryPolicy!.prototype;
  }

  /** Wraps `RetryPolicy.prototype.execute` in place. */
  patch(module: CockatielModule): void {
    const strategyOf = backoffClassifier(module);
    this.shim.wrap(module.RetryPolicy!.prototype, 'execute', (original) => CockatielRetryPatcher.#wrapExecute(this, original, strategyOf));
  }

  /** Restores the prototype; subscriptions already made stay but find no call. */
  unpatch(module: CockatielModule): void {
    this.shim.unwrap(module.RetryPolicy!.prototype, 'execute');
  }

  #watch(policy: CockatielRetryPolicy, strategyOf: (backoff: unknown) => BackoffStrategy): PolicyWatch {
    let watch = this.#policies.get(policy);
    if (watch !== undefined) return watch;
    const options = policy.options;
    const retries = options?.maxAttempts;
    // cockatiel's maxAttempts counts retries; the first attempt comes on top. Infinity is its default.
    const maxAttempts = typeof retries === 'number' && Number.isFinite(retries) ? Math.max(0, retries) + 1 : undefined;
    watch = { plan: { maxAttempts, strategy: strategyOf(options?.backoff) } };
    this.#policies.set(policy, watch);
    policy.onRetry((event) =>
      safely('observing a cockatiel retry', () => {
        const state = this.#executing.getStore();
        if (state === undefined || state.policy !== policy) return;
        const delay = typeof event.delay === 'number' ? event.delay : 0;
        this.telemetry.backoff(state.call, delay, 'error' in event ? event.error : undefined);
      }),
    );
    policy.onGiveUp(() =>
      safely('observing a cockatiel give-up', () => {
        const state = this.#executing.getStore();
        if (state !== undefined && state.policy === policy) state.gaveUp = true;
      }),
    );
    return watch;
  }

  static #wrapExecute(patcher: CockatielRetryPatcher, original: AnyFunction, strategyOf: (backoff: unknown) => BackoffStrategy): AnyFunction {
    const telemetry = patcher.telemetry;
    return function execute(this: CockatielRetryPolicy, fn: unknown, ...rest: unknown[]): unknown {
      if (typeof fn !== 'function') return Reflect.apply(original, this, [fn, ...rest]);
      // try/catch rather than safely(): no closure per call on the hot path.
      let state: ExecuteState | undefined;
      try {
        const call = telemetry.startCall('cockatiel', fn, this, patcher.#watch(this, strategyOf).plan);
        state = call === undefined ? undefined : new ExecuteState(call, this, rest[0]);
      } catch (error) {
        reportInstrumentationError('starting a cockatiel retry call', error);
        state = undefined;
      }
      if (state === undefined) return Reflect.apply(original, this, [fn, ...rest]);
      const call = state.call;
      // One invocation of the user's function is one attempt; cockatiel passes it { attempt, signal }.
      const attempt = function (this: unknown, ...args: unknown[]): unknown {
        return telemetry.attempt(call, fn as AnyFunction, this, args);
      };
      let result: unknown;
      try {
        result = patcher.#executing.run(state, runCall, telemetry, call, original, this, [attempt, ...rest]);
      } catch (error) {
        patcher.#end(state, true, error);
        throw error;
      }
      return settle(state, result, patcher.#settled);
    };
  }

  // `settled` is the value the call resolved with, or the error it rejected with.
  #end(state: ExecuteState, rejected: boolean, settled: unknown): void {
    try {
      const { call } = state;
      let outcome: RetryOutcome;
      if (!rejected && !state.gaveUp) outcome = RetryOutcome.SUCCESS;
      else if (isAborted(state.signal) && !(state.gaveUp && call.maxAttempts !== undefined && call.attemptCount >= call.maxAttempts)) {
        // cockatiel stops retrying once the signal aborted; an attempt that failed because of it is cancelled too.
        outcome = RetryOutcome.CANCELLED;
      } else if (state.gaveUp) outcome = RetryOutcome.EXHAUSTED;
      // An error the policy's handler does not handle is thrown at once, not retried.
      else outcome = RetryOutcome.ABORTED;
      // A give-up on a value the result filter flagged resolves with it: no error, so `_OTHER`.
      this.telemetry.endCall(call, outcome, rejected ? settled : undefined, rejected);
    } catch (caught) {
      reportInstrumentationError('ending a cockatiel retry call', caught);
    }
  }
}

function runCall(telemetry: RetryTelemetry, call: RetryCall, original: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  return telemetry.runCall(call, original, thisArg, args);
}

function isAborted(signal: unknown): boolean {
  if (typeof signal !== 'object' || signal === null) return false;
  try {
    return (signal as { aborted?: unknown }).aborted === true;
  } catch {
    return false;
  }
}

/** How a policy's backoff computes delays, by cockatiel's own classes; a factory of the user's own is `custom`. */
function backoffClassifier(module: CockatielModule): (backoff: unknown) => BackoffStrategy {
  const classes: [Constructor | undefined, BackoffStrategy][] = [
    [module.ConstantBackoff, BackoffStrategy.CONSTANT],
    [module.ExponentialBackoff, BackoffStrategy.EXPONENTIAL],
    [module.IterableBackoff, BackoffStrategy.ITERABLE],
    [module.DelegateBackoff, BackoffStrategy.CUSTOM],
  ];
  return (backoff) => {
    // No backoff: execute() waits a ConstantBackoff(0).
    if (backoff === undefined || backoff === null) return BackoffStrategy.CONSTANT;
    for (const [type, strategy] of classes) if (typeof type === 'function' && backoff instanceof type) return strategy;
    return BackoffStrategy.CUSTOM;
  };
}
