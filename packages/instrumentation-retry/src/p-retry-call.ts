import { settle, type AnyFunction } from '@dyntel/instrumentation-kit';
import { RetryOutcome } from '@dyntel/semconv';
import { ownLoopDelay, type PRetryFamily } from './p-retry-plan';
import type { RetryCall } from './retry-call';
import type { RetryTelemetry } from './telemetry';

/** The callbacks p-retry takes in its options that the instrumentation observes. */
export type PRetryCallback = 'onFailedAttempt' | 'shouldRetry' | 'shouldConsumeRetry';

// What p-retry's own defaults for the callbacks return.
const DEFAULT_ANSWERS: Record<PRetryCallback, unknown> = { onFailedAttempt: undefined, shouldRetry: true, shouldConsumeRetry: true };

/** What p-retry 7 and later pass their callbacks: a frozen context per failed attempt. */
interface FailureContext {
  retriesLeft?: unknown;
  retriesConsumed?: unknown;
  retryDelay?: unknown;
}

/** The AbortError of any p-retry copy: it wraps the error the caller gets. */
function isPRetryAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError' && 'originalError' in error;
}

/**
 * One p-retry call in flight: its attempts, what p-retry's callbacks were told and answered
 * about the latest failure (reset when the next attempt starts), and from that, the outcome.
 * The callbacks and the retried function are wrapped so that p-retry sees what the user's
 * return and throw, as they are.
 */
export class PRetryCall {
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
    /** When the call started on the monotonic clock, for `maxRetryTime`. */
    private readonly startedAt: number,
  ) {}

  /** Runs one attempt of the user's function `fn`. */
  attempt(fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
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
    this.#noteArguments(name, thisArg, args[0]);
    if (user === undefined) {
      this.#settled(name, false, DEFAULT_ANSWERS[name]);
      return DEFAULT_ANSWERS[name];
    }
    let result: unknown;
    try {
      result = Reflect.apply(user, thisArg, args);
    } catch (error) {
      this.#callbackFailed = true;
      throw error;
    }
    return settle(this, result, (run, rejected, value) => run.#settled(name, rejected, value));
  }

  #noteArguments(name: PRetryCallback, thisArg: unknown, argument: unknown): void {
    if (!this.family.ownLoop) return;
    if (typeof thisArg === 'object' && thisArg !== null) this.#libraryOptions = thisArg;
    if (typeof argument === 'object' && argument !== null) this.#context = argument as FailureContext;
    if (name === 'onFailedAttempt') this.#retryPending = true;
  }

  #settled(name: PRetryCallback, rejected: boolean, value: unknown): void {
    if (rejected) {
      this.#callbackFailed = true;
      return;
    }
    if (name === 'onFailedAttempt') this.#failureHandled = true;
    else if (name === 'shouldConsumeRetry') this.#consumeRetry = value;
    else {
      this.#shouldRetry = Boolean(value);
      if (this.#shouldRetry && this.family.ownLoop) this.#retrying();
    }
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
