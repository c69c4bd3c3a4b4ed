import type { Histogram, Span } from '@opentelemetry/api';
import { Operation, runHook, type Component, type OperationKind } from '@dyntel/instrumentation-kit';
import { ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_MAX_ATTEMPTS, ATTR_RETRY_OUTCOME, RetryOutcome, type BackoffStrategy } from '@dyntel/semconv';
import type { RetryPolicy } from './retry-policy';
import type { RetryCallInfo, RetryInstrumentationConfig, RetryLibrary } from './types';

/** What a library adapter knows of a logical call when it starts. */
export interface RetryPlan {
  /** Attempts allowed in total, the first included; undefined when unbounded or unknown. */
  maxAttempts?: number;
  strategy?: BackoffStrategy;
}

/**
 * The library adapter that learns how a call ended from what the library consumes or tells it,
 * rather than from the promise the caller gets (observing that one would run the caller's
 * callbacks a microtask late).
 */
export interface RetryCallObserver {
  /** An attempt of `call` run by `RetryTelemetry.attempt` returned or threw (`rejected`), or its promise settled. */
  attemptSettled?(call: RetryCall, rejected: boolean, settled: unknown): void;
  /**
   * The `retry` operation `call`'s library built refused to retry `error` (no attempt or time
   * left): the library rejects next, `mainError` being the operation's `mainError()`.
   */
  retryRefused?(call: RetryCall, error: unknown, mainError: unknown): void;
}

/**
 * One logical retried call in flight, from the user's call into the library to the result
 * the user gets, waits included. Its attempts are counted as they start.
 */
export class RetryCall extends Operation<Component> {
  /** Attempts started so far. */
  attemptCount = 0;
  /** The wait planned before the next attempt, in seconds; consumed when that attempt starts. */
  plannedDelaySeconds: number | undefined = undefined;
  /** The error of the last failed attempt. */
  lastError: unknown = undefined;
  /** Set once the call was ended, so that a library reporting twice records once. */
  ended = false;
  /** A lower layer's operation was built for this call: it reports its waits and refusals to it. */
  lowerLayer = false;
  /** Bit flags private to the library adapter that owns the call. */
  flags = 0;
  /** While its observer is told that an attempt settled: when it did, on the monotonic clock. */
  settlingMillis: number | undefined = undefined;
  /** Told of the call's attempts and of its lower layer's refusals, when the adapter needs them. */
  observer: RetryCallObserver | undefined = undefined;

  constructor(
    readonly library: RetryLibrary,
    readonly policy: RetryPolicy,
    readonly maxAttempts: number | undefined,
    readonly strategy: BackoffStrategy | undefined,
  ) {
    super(policy.call);
  }
}

/** What the call kind reads from its instrumentation, live. */
export interface RetryCallHost {
  config(): RetryInstrumentationConfig;
  callDuration(): Histogram;
}

/** The `retry.call` operation: its outcome enum, its histogram, its span attributes and hooks. */
export class RetryCallKind implements OperationKind<RetryOutcome, RetryCall> {
  readonly label = 'retry call';
  readonly outcomeAttribute = ATTR_RETRY_OUTCOME;
  readonly successOutcome = RetryOutcome.SUCCESS;

  constructor(private readonly host: RetryCallHost) {}

  histogram(): Histogram {
    return this.host.callDuration();
  }

  onStart(span: Span, call: RetryCall): void {
    if (call.maxAttempts !== undefined) span.setAttribute(ATTR_RETRY_MAX_ATTEMPTS, call.maxAttempts);
    const hook = this.host.config().requestHook;
    if (hook !== undefined) runHook('retry requestHook', hook, span, callInfo(call));
  }

  onEnd(span: Span, call: RetryCall, outcome: RetryOutcome, error: unknown, rejected: boolean): void {
    span.setAttribute(ATTR_RETRY_ATTEMPT_COUNT, call.attemptCount);
    const hook = this.host.config().responseHook;
    if (hook !== undefined) runHook('retry responseHook', hook, span, { ...callInfo(call), outcome, attemptCount: call.attemptCount, error, rejected });
  }
}

/** What the hooks are told about a call. */
function callInfo(call: RetryCall): RetryCallInfo {
  return { library: call.library, name: call.policy.label.spanAttribute, maxAttempts: call.maxAttempts, strategy: call.strategy };
}
