import { AsyncLocalStorage } from 'node:async_hooks';
import { BackoffStrategy, RetryOutcome } from '@dyntel/semconv';
import { reportInstrumentationError, safely, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
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

/** What cockatiel's `onFailure` emits: whether the policy's handler handles the failure, and the failure. */
interface FailureEvent {
  readonly handled: boolean;
  readonly reason: { readonly error?: unknown; readonly value?: unknown };
}

/** What cockatiel's `onGiveUp` emits: the last attempt's failure, an `error` or a `value` its result filter flagged. */
interface GiveUpEvent {
  readonly error?: unknown;
  readonly value?: unknown;
}

/** The parts of a cockatiel `RetryPolicy` (3 and 4) the instrumentation reads. */
interface CockatielRetryPolicy {
  readonly options?: { readonly maxAttempts?: unknown; readonly backoff?: unknown };
  onRetry(listener: (event: RetryEvent) => void): Disposable;
  onGiveUp(listener: (event: GiveUpEvent) => void): Disposable;
  onSuccess(listener: () => void): Disposable;
  onFailure(listener: (event: FailureEvent) => void): Disposable;
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
 * and the call's end from `onSuccess`, `onFailure` (a failure its handler does not handle is
 * thrown at once) and `onGiveUp`, subscribed once per policy on first sight. A policy is shared
 * by concurrent calls, so each `execute()` runs in an async context of its own and the events
 * find their call there: exact under concurrency, and nothing is kept for calls that never end.
 *
 * The caller gets cockatiel's own promise, untouched: a derived one would run the caller's
 * callbacks a microtask late. The events come before `execute()` settles, with what it
 * settles with. A call that rejects without any of them (a backoff of the user's that throws
 * in `next()`, a listener of the user's that throws while cockatiel emits) is not ended.
 */
export class CockatielRetryPatcher implements ModulePatcher<CockatielModule> {
  readonly moduleName = 'cockatiel';
  readonly #policies = new WeakMap<object, PolicyWatch>();
  readonly #executing = new AsyncLocalStorage<ExecuteState>();
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
    policy.onSuccess(() => this.#ended(policy, RetryOutcome.SUCCESS, undefined, false));
    policy.onFailure((event) => {
      // A failure the handler does not handle is thrown at once; a handled one is retried or given up on.
      if (!event.handled) this.#ended(policy, RetryOutcome.ABORTED, event.reason.error, true);
    });
    policy.onGiveUp((event) => this.#ended(policy, undefined, 'error' in event ? event.error : undefined, 'error' in event));
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
      try {
        return patcher.#executing.run(state, runCall, telemetry, call, original, this, [attempt, ...rest]);
      } catch (error) {
        telemetry.endCall(call, RetryOutcome.ABORTED, error, true);
        throw error;
      }
    };
  }

  /**
   * The call of `policy` in this async context ends: with `outcome`, or, given up on (undefined),
   * exhausted or cancelled. `rejected`: `execute()` rejects with `error`; a give-up on a value
   * the result filter flagged resolves with it.
   */
  #ended(policy: object, outcome: RetryOutcome | undefined, error: unknown, rejected: boolean): void {
    try {
      const state = this.#executing.getStore();
      if (state === undefined || state.policy !== policy) return;
      const { call } = state;
      // cockatiel stops retrying once the signal aborted; an attempt that failed because of it is cancelled too.
      const cancelled = isAborted(state.signal) && !(call.maxAttempts !== undefined && call.attemptCount >= call.maxAttempts);
      this.telemetry.endCall(call, outcome ?? (cancelled ? RetryOutcome.CANCELLED : RetryOutcome.EXHAUSTED), error, rejected);
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
