import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import {
  DURATION_BUCKETS_SECONDS,
  METRIC_RETRY_ATTEMPT_DURATION,
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_CALL_DURATION,
  METRIC_RETRY_RETRIES,
  RETRY_ATTEMPT_BUCKETS,
  Unit,
} from '@dyntel/semconv';

/** The retry metrics of the contract, on one meter. */
export interface RetryInstruments {
  callDuration: Histogram;
  attemptDuration: Histogram;
  attempts: Histogram;
  retries: Counter;
}

/** Creates the retry instruments on `meter`. */
export function createRetryInstruments(meter: Meter): RetryInstruments {
  return {
    callDuration: meter.createHistogram(METRIC_RETRY_CALL_DURATION, {
      description: 'Duration of logical retried calls, waits between attempts included.',
      unit: Unit.SECONDS,
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
    }),
    attemptDuration: meter.createHistogram(METRIC_RETRY_ATTEMPT_DURATION, {
      description: 'Duration of single attempts of retried calls.',
      unit: Unit.SECONDS,
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
    }),
    attempts: meter.createHistogram(METRIC_RETRY_ATTEMPTS, {
      description: 'Attempts per logical retried call, the first included.',
      unit: Unit.ATTEMPT,
      advice: { explicitBucketBoundaries: [...RETRY_ATTEMPT_BUCKETS] },
    }),
    retries: meter.createCounter(METRIC_RETRY_RETRIES, {
      description: 'Retries (attempts after the first), by the error that caused them.',
      unit: Unit.RETRY,
    }),
  };
}
