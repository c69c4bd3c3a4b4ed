import { isPromise, isThenable, observeSettled, observeThenable, safely, type AnyFunction } from '@dyntel/instrumentation-kit';
import { RetryOutcome } from '@dyntel/semconv';
import { ownLoopDelay, type PRetryFamily } from './p-retry-plan';
import type { RetryCall, RetryCallObserver } from './retry-call';
import type { RetryTelemetry } from './telemetry';

/** The callbacks p-retry takes in its options that the instrumentation observes. */
export type PRetryCallback = 'onFailedAttempt' | 'shouldRetry' | 'shouldConsumeRetry';

// What p-retry's own defaults for the callbacks return.
const DEFAULT_ANSWERS: Record<PRetryCallback, unknown> = { onFailedAttempt: undefined, shouldRetry: true, shouldConsumeRetry: true };

/** What p-retry 7 and later pass their callbacks: a frozen context per failed attempt. */
interface FailureContext {
  error?: unknown;
  retriesLeft?: unknown;
  retriesConsumed?: unknown;
  retryDelay?: unknown;
}

/** The AbortError of any p-retry copy: it wraps the error the caller gets. */
function isPRetryAbortError(error: unknown): error is Error & { originalError: unknown } {
  return error instanceof Error && error.name === 'AbortError' && 'originalError' in error;
}

/** A step of a call after which p-retry may stop without calling anything of the user's. */
type PRetryStep = PRetryCallback | 'attempt';

/**
 * One p-retry call in flight: its attempts, what p-retry's callbacks were told and answered
 * about the latest failure (reset when the next attempt starts), and from that, the outcome.
 * The callbacks and the retried function are wrapped so that p-retry sees what the user's
 * return and throw, as they are; their promises, which p-retry awaits, are observed through a
 * side branch.
 *
 * While {@link observing}, the call's end is learnt without reading p-retry's promise: an
 * attempt that succeeds, a callback that throws or rejects, `shouldRetry` answering no, the
 * `retry` operation of 4-6 refusing a retry (its `mainError()`), and a step after which p-retry
 * called nothing more of the user's by the microtask after the one it went on in: an attempt's
 * failure (an AbortError's `originalError`, a TypeError that is not a network error, a thrown
 * non-Error) or, from 7 on, the callback after which it checks the retries left and whether
 * the failure can be retried.
 */
export class PRetryCall implements RetryCallObserver {
  /** The call's end is learnt from its steps; false: from p-retry's promise, through settle(). */
  observing = false;
  /** Attempts started and callbacks called so far: a check after a step tells whether p-retry went on. */
  #steps = 0;
  /** The latest failure was handed to `onFailedAttempt`, which returned. */
  #failureHandled = false;
  /** A callback threw or rejected while p-retry handled the latest failure. */
  #callbackFailed = false;
  /** `shouldRetry`'s answer about the latest failure, undefined while not asked. */
  #shouldRetry: boolean | undefined = undefined;
  /** `shouldConsumeRetry`'s answer about the latest failure (p-retry 7 needs it for the delay). */
  #consumeRetry: unknown = true;
  /** The latest failure is waiting for a retry to be recorded (p-retry 7 and later). */
  #retryPending = false;
  #context: FailureContext | undefined = undefined;
  /** p-retry's own options, with its defaults, as its callbacks get them as `this`. */
  #libraryOptions: object | undefined = undefined;

  constructor(
    private readonly telemetry: RetryTelemetry,
    readonly call: RetryCall,
    private readonly family: PRetryFamily,
    private readonly signal: unknown,
    /** When the call started on the global clock p-retry reads, for `maxRetryTime`. */
    private readonly startedAt: number,
  ) {}

  /** Runs one attempt of the user's function `fn`. */
  attempt(fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    this.#steps += 1;
    if (this.call.ended) return Reflect.apply(fn, thisArg, args);
    // A retry p-retry 7 made without asking shouldRetry (a TypeError whose retry it did not consume): it did not wait.
    if (this.#retryPending) this.telemetry.backoff(this.call, 0, this.call.lastError);
    this.#failureHandled = false;
    this.#callbackFailed = false;
    this.#shouldRetry = undefined;
    this.#consumeRetry = true;
    this.#retryPending = false;
    this.#context = undefined;
    return this.telemetry.attempt(this.call, fn, thisArg, args);
  }

  /**
   * Runs one of p-retry's callbacks for the user: theirs, or p-retry's default when they gave
   * none. What it returns or throws goes back to p-retry as it is; its settled value is noted.
   */
  callback(name: PRetryCallback, user: AnyFunction | undefined, thisArg: unknown, args: unknown[]): unknown {
    this.#steps += 1;
    this.#noteArguments(name, thisArg, args[0]);
    if (user === undefined) {
      this.#settled(name, false, DEFAULT_ANSWERS[name]);
      return DEFAULT_ANSWERS[name];
    }
    let result: unknown;
    try {
      result = Reflect.apply(user, thisArg, args);
    } catch (error) {
      this.#settled(name, true, error);
      throw error;
    }
    // p-retry awaits what the callback returns: a side branch changes no timing.
    if (isPromise(result)) observeSettled(result, name, this.#callbackSettled);
    else if (isThenable(result)) return observeThenable(result, name, this.#callbackSettled);
    else this.#settled(name, false, result);
    return result;
  }

  readonly #callbackSettled = (name: PRetryCallback, rejected: boolean, value: unknown): void => this.#settled(name, rejected, value);

  /** An attempt of the call returned, threw or settled (the telemetry tells its observer). */
  attemptSettled(_call: RetryCall, rejected: boolean): void {
    if (!this.observing) return;
    if (!rejected) this.telemetry.endCall(this.call, RetryOutcome.SUCCESS, undefined, false);
    else this.#checkAfter('attempt');
  }

  /** p-retry 4-6's `retry` operation refused a retry: p-retry rejects with its `mainError()`. */
  retryRefused(_call: RetryCall, _error: unknown, mainError: unknown): void {
    if (this.observing) this.telemetry.endCall(this.call, RetryOutcome.EXHAUSTED, mainError, true);
  }

  /**
   * After `step`, p-retry either goes on (calls a callback or the next attempt) in the microtask
   * after the one that told us, or stops there: checked one microtask after that.
   */
  #checkAfter(step: PRetryStep): void {
    const steps = this.#steps;
    queueMicrotask(() =>
      queueMicrotask(() => {
        if (this.#steps === steps) safely('ending a p-retry call', () => this.#stoppedAfter(step));
      }),
    );
  }

  /** The latest failure as p-retry handles it: 7 and later tell it (a non-Error made a TypeError) to the callbacks. */
  #failure(): unknown {
    const context = this.#context;
    return context !== undefined && 'error' in context ? context.error : this.call.lastError;
  }

  /** p-retry called nothing more after `step`: whether, and how, that ended the call. */
  #stoppedAfter(step: PRetryStep): void {
    if (!this.observing || this.call.ended) return;
    const failure = this.#failure();
    if (step === 'attempt') {
      this.telemetry.endCall(this.call, RetryOutcome.ABORTED, this.#thrownFor(failure), true);
      return;
    }
    // 8 and later check after onFailedAttempt, 7 after shouldConsumeRetry (where a TypeError it does not consume is retried later).
    if (step !== (this.family.consumeFirst ? 'onFailedAttempt' : 'shouldConsumeRetry')) return;
    const retriesLeft = this.#context?.retriesLeft;
    if (typeof retriesLeft === 'number' && retriesLeft <= 0) this.telemetry.endCall(this.call, RetryOutcome.EXHAUSTED, failure, true);
    else if (this.family.consumeFirst || this.#consumeRetry) this.telemetry.endCall(this.call, RetryOutcome.ABORTED, failure, true);
  }

  /**
   * What p-retry rejects with for an attempt's failure it stops on at once: an AbortError's
   * `originalError` (9: down nested AbortErrors), the error itself (a TypeError), or, for a
   * thrown non-Error, a TypeError of its own (a stand-in with its message is recorded).
   */
  #thrownFor(failure: unknown): unknown {
    if (!(failure instanceof Error)) return new TypeError(`Non-error was thrown: "${safeString(failure)}". You should only throw errors.`);
    if (!isPRetryAbortError(failure)) return failure;
    let cause: unknown = failure.originalError;
    while (this.family.unwrapsNested && isPRetryAbortError(cause) && cause.originalError instanceof Error) cause = cause.originalError;
    return cause;
  }

  #noteArguments(name: PRetryCallback, thisArg: unknown, argument: unknown): void {
    if (!this.family.ownLoop) return;
    if (typeof thisArg === 'object' && thisArg !== null) this.#libraryOptions = thisArg;
    if (typeof argument === 'object' && argument !== null) this.#context = argument as FailureContext;
    if (name === 'onFailedAttempt') this.#retryPending = true;
  }

  #settled(name: PRetryCallback, rejected: boolean, value: unknown): void {
    if (rejected) {
      // p-retry rejects with what its callback threw.
      this.#callbackFailed = true;
      if (this.observing) this.telemetry.endCall(this.call, RetryOutcome.ABORTED, value, true);
      return;
    }
    if (name === 'onFailedAttempt') this.#failureHandled = true;
    else if (name === 'shouldConsumeRetry') this.#consumeRetry = value;
    else {
      this.#shouldRetry = Boolean(value);
      if (this.#shouldRetry && this.family.ownLoop) this.#retrying();
      // Answered no: p-retry rejects with the failure (6 at once, 7 and later next).
      if (!this.#shouldRetry && this.observing) {
        const failure = this.#failure();
        this.telemetry.endCall(this.call, RetryOutcome.ABORTED, failure, true);
      }
      return;
    }
    if (this.observing && this.family.ownLoop) this.#checkAfter(name);
  }

  /**
   * p-retry 7 or later answered that it retries: the wait it plans, recorded before it starts.
   * 8 and later tell the delay to the callbacks; 7's is computed as 7 computes it. The cap by
   * `maxRetryTime` is read from this call's clock, started just before p-retry's own.
   */
  #retrying(): void {
    if (isAborted(this.signal)) return;
    const context = this.#context;
    const options = this.#libraryOptions as { maxRetryTime?: unknown } | undefined;
    const maxRetryTime = typeof options?.maxRetryTime === 'number' ? options.maxRetryTime : Infinity;
    const remaining = Number.isFinite(maxRetryTime) ? maxRetryTime - (performance.now() - this.startedAt) : Infinity;
    let delay: number | undefined;
    if (typeof context?.retryDelay === 'number') {
      // 8 and later check the time left after shouldRetry: none left, no retry.
      if (remaining <= 0) return;
      delay = context.retryDelay;
    } else {
      delay = this.#consumeRetry ? ownLoopDelay(this.#libraryOptions ?? {}, context?.retriesConsumed) : 0;
    }
    this.#retryPending = false;
    this.telemetry.backoff(this.call, delay === undefined ? undefined : Math.max(0, Math.min(delay, remaining)), this.call.lastError);
  }

  /** How the call ended, from what the caller got (`error` when `rejected`). */
  outcome(rejected: boolean, error: unknown): RetryOutcome {
    if (!rejected) return RetryOutcome.SUCCESS;
    if (this.family.cancellable && isCancellation(this.signal, error)) return RetryOutcome.CANCELLED;
    if (this.#callbackFailed || this.#shouldRetry === false || isPRetryAbortError(this.call.lastError) || this.call.attemptCount === 0) return RetryOutcome.ABORTED;
    if (!this.family.ownLoop) {
      // 4-6 hand a retriable failure to onFailedAttempt, then ask the retry operation, which refuses only when retries or time ran out.
      return this.#failureHandled ? RetryOutcome.EXHAUSTED : RetryOutcome.ABORTED;
    }
    const retriesLeft = this.#context?.retriesLeft;
    if (typeof retriesLeft === 'number' && retriesLeft <= 0) return RetryOutcome.EXHAUSTED;
    // Asked and answered yes, then stopped: maxRetryTime ran out. Not asked: a TypeError that is
    // not a network error is never retried; anything else stopped on maxRetryTime.
    if (this.#shouldRetry === true) return RetryOutcome.EXHAUSTED;
    return error instanceof TypeError ? RetryOutcome.ABORTED : RetryOutcome.EXHAUSTED;
  }
}

// As a template literal shows a thrown value; one that cannot be shown is named by its type.
function safeString(value: unknown): string {
  try {
    return String(value as string);
  } catch {
    return typeof value;
  }
}

function isAborted(signal: unknown): boolean {
  return typeof signal === 'object' && signal !== null && (signal as { aborted?: unknown }).aborted === true;
}

/**
 * Whether the caller's error is the signal's cancellation: p-retry rejects with the signal's
 * reason, and 5 with a DOMException in place of a reason that is not an Error.
 */
function isCancellation(signal: unknown, error: unknown): boolean {
  if (!isAborted(signal)) return false;
  const reason = (signal as { reason?: unknown }).reason;
  return error === reason || !(reason instanceof Error);
}
