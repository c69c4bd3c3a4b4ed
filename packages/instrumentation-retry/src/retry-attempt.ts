import type { Histogram, Span } from '@opentelemetry/api';
import { Operation, type Component, type OperationKind } from '@dyntel/instrumentation-kit';
import { ATTR_RETRY_ATTEMPT, ATTR_RETRY_DELAY } from '@dyntel/semconv';
import type { RetryCall } from './retry-call';

/** How an attempt ended, for the recorder; attempts carry `error.type`, not an outcome attribute. */
export type AttemptOutcome = 'success' | 'failure';

/** One invocation of the user's function within a logical retried call. */
export class RetryAttempt extends Operation<Component> {
  constructor(
    /** The call it is an attempt of. */
    readonly call: RetryCall,
    /** The attempt's number, starting at 1. */
    readonly number: number,
    /** The wait that preceded this attempt, in seconds; undefined for the first. */
    readonly delaySeconds: number | undefined,
  ) {
    super(call.policy.attempt);
  }
}

/** The `retry.attempt` operation. */
export class RetryAttemptKind implements OperationKind<AttemptOutcome, RetryAttempt> {
  readonly label = 'retry attempt';
  readonly outcomeAttribute = undefined;
  readonly successOutcome = 'success';

  constructor(private readonly attemptDuration: () => Histogram) {}

  histogram(): Histogram {
    return this.attemptDuration();
  }

  onStart(span: Span, attempt: RetryAttempt): void {
    span.setAttribute(ATTR_RETRY_ATTEMPT, attempt.number);
    if (attempt.delaySeconds !== undefined) span.setAttribute(ATTR_RETRY_DELAY, attempt.delaySeconds);
  }
}
