import { BackoffStrategy, RetryOutcome } from '@dyntel/semconv';
import { isThenable, reportInstrumentationError, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
import type { RetryCall, RetryCallObserver } from './retry-call';
import type { RetryTelemetry } from './telemetry';

/** The module: `backOff` on the CJS exports, or on the ESM namespace (or its default) of that CJS module. */
interface ExponentialBackoffModule {
  backOff: AnyFunction;
}

/** exponential-backoff 3's options after its own defaults, as `getSanitizedOptions` computes them. */
interface SanitizedOptions {
  delayFirstAttempt: unknown;
  jitter: unknown;
  maxDelay: unknown;
  numOfAttempts: unknown;
  retry: unknown;
  startingDelay: unknown;
  timeMultiple: unknown;
}

// The library's defaults (dist/options.js): the options a call runs with are these, then the user's own.
const DEFAULTS: Readonly<Omit<SanitizedOptions, 'retry'>> = Object.freeze({
  delayFirstAttempt: false,
  jitter: 'none',
  maxDelay: Infinity,
  numOfAttempts: 10,
  startingDelay: 100,
  timeMultiple: 2,
});

// Marks our wrapper, so that the CJS exports and an ESM namespace over them are not wrapped twice.
const WRAPPED = Symbol('dyntel.retry.exponential-backoff');

/** How one `backOff()` call stopped, as its `retry` callback decided. */
const enum Stop {
  NONE,
  /** The attempt limit was reached. */
  EXHAUSTED,
  /** `retry(e, attemptNumber)` answered false. */
  REFUSED,
}

/**
 * One `backOff()` call in flight. It ends when the library decides: an attempt that succeeded
 * is what `backOff()` resolves with; a failure is thrown once the `retry` callback answered
 * false (or threw) or no attempt is left.
 */
class BackOffCall implements RetryCallObserver {
  stop = Stop.NONE;

  constructor(
    readonly telemetry: RetryTelemetry,
    readonly call: RetryCall,
    readonly options: SanitizedOptions,
  ) {
    call.observer = this;
  }

  attemptSettled(call: RetryCall, rejected: boolean): void {
    if (!rejected) this.telemetry.endCall(call, RetryOutcome.SUCCESS, undefined, false);
  }

  /** The library throws `error` next: the attempt's, or what the `retry` callback threw. */
  stopped(error: unknown): void {
    const outcome = this.stop === Stop.EXHAUSTED ? RetryOutcome.EXHAUSTED : RetryOutcome.ABORTED;
    this.telemetry.endCall(this.call, outcome, error, true);
  }
}

/**
 * Instruments exponential-backoff 3 by wrapping its `backOff` export: the call span over
 * `backOff()`, an attempt span over each invocation of the request, and before each wait the
 * backoff with the delay the library's `Delay` classes compute (`startingDelay *
 * timeMultiple^n`, at most `maxDelay`). The backoff is recorded from the `retry(e,
 * attemptNumber)` callback, wrapped: the library waits only after it answered true with
 * attempts left. Full jitter draws the delay inside the wait, so it is recorded without one.
 */
export class ExponentialBackoffPatcher implements ModulePatcher<ExponentialBackoffModule> {
  readonly moduleName = 'exponential-backoff';
  constructor(
    private readonly telemetry: RetryTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  /** The object that holds `backOff`: the CJS exports, the ESM namespace, or its default. */
  resolve(moduleExports: unknown): ExponentialBackoffModule | undefined {
    for (const candidate of [moduleExports, (moduleExports as { default?: unknown } | null)?.default]) {
      if (typeof (candidate as Partial<ExponentialBackoffModule> | null | undefined)?.backOff === 'function') return candidate as ExponentialBackoffModule;
    }
    return undefined;
  }

  prototypeOf(module: ExponentialBackoffModule): object {
    return module;
  }

  /** Wraps `backOff` in place, unless it already is our wrapper (an ESM namespace over patched CJS exports). */
  patch(module: ExponentialBackoffModule): void {
    if (WRAPPED in module.backOff) return;
    this.shim.wrap(module, 'backOff', (original) => {
      const wrapper = ExponentialBackoffPatcher.#wrapBackOff(this, original);
      Object.defineProperty(wrapper, WRAPPED, { value: true });
      return wrapper;
    });
  }

  unpatch(module: ExponentialBackoffModule): void {
    this.shim.unwrap(module, 'backOff');
  }

  static #wrapBackOff(patcher: ExponentialBackoffPatcher, original: AnyFunction): AnyFunction {
    const telemetry = patcher.telemetry;
    return function backOff(this: unknown, ...args: unknown[]): unknown {
      const [request, options] = args;
      if (typeof request !== 'function') return Reflect.apply(original, this, args);
      let state: BackOffCall | undefined;
      let instrumented: unknown[] | undefined;
      try {
        state = patcher.#start(request, options);
        if (state !== undefined) instrumented = patcher.#arguments(state, request as AnyFunction, options, args);
      } catch (error) {
        reportInstrumentationError('starting an exponential-backoff call', error);
        state = undefined;
      }
      if (state === undefined || instrumented === undefined) return Reflect.apply(original, this, args);
      // The caller gets the library's own promise: its outcome is learnt from the attempts and the retry callback.
      try {
        return telemetry.runCall(state.call, original, this, instrumented);
      } catch (error) {
        state.stopped(error);
        throw error;
      }
    };
  }

  #start(request: unknown, options: unknown): BackOffCall | undefined {
    // The library spreads the user's options over its defaults: the same copy here sees what it will.
    const sanitized: SanitizedOptions = { retry: undefined, ...DEFAULTS, ...(options as object | undefined) };
    if ((sanitized.numOfAttempts as number) < 1) sanitized.numOfAttempts = 1;
    const attempts = sanitized.numOfAttempts;
    // It stops once the failed attempts reach numOfAttempts: 2.5 allows 3.
    const maxAttempts = typeof attempts === 'number' && Number.isFinite(attempts) ? Math.ceil(attempts) : undefined;
    const multiple = sanitized.timeMultiple;
    const strategy = multiple === 1 ? BackoffStrategy.CONSTANT : typeof multiple === 'number' && multiple > 1 ? BackoffStrategy.EXPONENTIAL : undefined;
    const call = this.telemetry.startCall('exponential-backoff', request, options, { maxAttempts, strategy });
    if (call === undefined) return undefined;
    // delayFirstAttempt waits before the first attempt too: not a retry, but the wait that preceded it.
    if (sanitized.delayFirstAttempt) {
      const first = plannedDelay(sanitized, 0);
      if (first !== undefined) call.plannedDelaySeconds = Math.max(0, first) / 1000;
    }
    return new BackOffCall(this.telemetry, call, sanitized);
  }

  /** `backOff`'s arguments with the request wrapped in attempts and the `retry` callback observed; undefined to run untouched. */
  #arguments(state: BackOffCall, request: AnyFunction, options: unknown, args: readonly unknown[]): unknown[] | undefined {
    const userRetry = state.options.retry;
    // A `retry` option that is not a function fails inside the library: left for it to fail on.
    if (userRetry !== undefined && typeof userRetry !== 'function') return undefined;
    const { telemetry } = this;
    const call = state.call;
    const attempt = function (this: unknown, ...rest: unknown[]): unknown {
      return telemetry.attempt(call, request, this, rest);
    };
    const retry = function (this: unknown, ...retryArgs: unknown[]): unknown {
      let answer: unknown = true;
      if (userRetry !== undefined) {
        try {
          answer = Reflect.apply(userRetry as AnyFunction, this, retryArgs);
        } catch (error) {
          state.stopped(error);
          throw error;
        }
      }
      return decided(state, telemetry, answer, retryArgs[0], retryArgs[1]);
    };
    const instrumented = [...args];
    instrumented[0] = attempt;
    instrumented[1] = { ...(options as object | undefined), retry };
    return instrumented;
  }

}

/**
 * Observes the `retry` callback's answer and returns it as the library would await it: a
 * promise is returned as it is (our reaction runs before the library's await resumes), another
 * thenable as the promise the library's await would make of it.
 */
function decided(state: BackOffCall, telemetry: RetryTelemetry, answer: unknown, error: unknown, attemptNumber: unknown): unknown {
  if (!isThenable(answer)) {
    record(state, telemetry, answer, error, attemptNumber);
    return answer;
  }
  const promise = answer instanceof Promise ? answer : Promise.resolve(answer);
  // A side branch: the library awaits this promise, and rejects with what it rejected with.
  promise.then(
    (value) => record(state, telemetry, value, error, attemptNumber),
    (thrown: unknown) => state.stopped(thrown),
  );
  return promise;
}

function record(state: BackOffCall, telemetry: RetryTelemetry, answer: unknown, error: unknown, attemptNumber: unknown): void {
  try {
    // The library stops once attemptNumber reached numOfAttempts, whatever retry answered.
    if ((attemptNumber as number) >= (state.options.numOfAttempts as number)) {
      state.stop = Stop.EXHAUSTED;
      state.stopped(error);
      return;
    }
    if (!answer) {
      state.stop = Stop.REFUSED;
      state.stopped(error);
      return;
    }
    telemetry.backoff(state.call, plannedDelay(state.options, typeof attemptNumber === 'number' ? attemptNumber : 0), error);
  } catch (caught) {
    reportInstrumentationError('recording an exponential-backoff retry', caught);
  }
}

/**
 * The wait before the attempt that follows `failed` failed attempts, as the library's `Delay`
 * classes compute it; undefined under full jitter, which draws it at random inside the wait.
 */
function plannedDelay(options: SanitizedOptions, failed: number): number | undefined {
  if (options.jitter === 'full') return undefined;
  // SkipFirstDelay (the default) counts the delayed attempts from the second; AlwaysDelay from the first.
  const power = options.delayFirstAttempt ? failed : failed - 1;
  const delay = (options.startingDelay as number) * Math.pow(options.timeMultiple as number, power);
  return Math.min(delay, options.maxDelay as number);
}
