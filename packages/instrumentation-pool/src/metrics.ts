import type { Counter, Histogram, Meter, ObservableUpDownCounter } from '@opentelemetry/api';
import {
  DURATION_BUCKETS_SECONDS,
  METRIC_POOL_CONNECTION_COUNT,
  METRIC_POOL_CREATE_TIME,
  METRIC_POOL_ERRORS,
  METRIC_POOL_IDLE_MAX,
  METRIC_POOL_IDLE_MIN,
  METRIC_POOL_MAX,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_TIMEOUTS,
  METRIC_POOL_USE_TIME,
  METRIC_POOL_WAIT_TIME,
  Unit,
} from '@dyntel/semconv';

/** The pool metrics of the contract, on one meter. */
export interface PoolInstruments {
  /** The meter they were created on, which holds the batch observable callback. */
  meter: Meter;
  count: ObservableUpDownCounter;
  idleMax: ObservableUpDownCounter;
  idleMin: ObservableUpDownCounter;
  max: ObservableUpDownCounter;
  pendingRequests: ObservableUpDownCounter;
  timeouts: Counter;
  errors: Counter;
  createTime: Histogram;
  waitTime: Histogram;
  useTime: Histogram;
}

const DURATION_ADVICE = { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] };

/** Creates the pool instruments on `meter`. */
export function createPoolInstruments(meter: Meter): PoolInstruments {
  return {
    meter,
    count: meter.createObservableUpDownCounter(METRIC_POOL_CONNECTION_COUNT, {
      description: 'Pooled connections by state: idle in the pool or used (lent out).',
      unit: Unit.CONNECTION,
    }),
    idleMax: meter.createObservableUpDownCounter(METRIC_POOL_IDLE_MAX, { description: 'The most idle connections a pool allows.', unit: Unit.CONNECTION }),
    idleMin: meter.createObservableUpDownCounter(METRIC_POOL_IDLE_MIN, { description: 'The fewest idle connections a pool keeps.', unit: Unit.CONNECTION }),
    max: meter.createObservableUpDownCounter(METRIC_POOL_MAX, { description: 'The most connections a pool allows.', unit: Unit.CONNECTION }),
    pendingRequests: meter.createObservableUpDownCounter(METRIC_POOL_PENDING_REQUESTS, {
      description: 'Acquire requests waiting for a pooled connection.',
      unit: Unit.REQUEST,
    }),
    timeouts: meter.createCounter(METRIC_POOL_TIMEOUTS, { description: 'Acquires that timed out.', unit: Unit.TIMEOUT }),
    errors: meter.createCounter(METRIC_POOL_ERRORS, { description: 'Failed pool operations, by operation and error type.', unit: Unit.ERROR }),
    createTime: meter.createHistogram(METRIC_POOL_CREATE_TIME, { description: 'Time to open one pooled connection.', unit: Unit.SECONDS, advice: DURATION_ADVICE }),
    waitTime: meter.createHistogram(METRIC_POOL_WAIT_TIME, { description: 'Time to obtain one pooled connection.', unit: Unit.SECONDS, advice: DURATION_ADVICE }),
    useTime: meter.createHistogram(METRIC_POOL_USE_TIME, { description: 'Time one pooled connection was held.', unit: Unit.SECONDS, advice: DURATION_ADVICE }),
  };
}

/** The observable instruments, all read by one batch callback. */
export function observablesOf(instruments: PoolInstruments): ObservableUpDownCounter[] {
  return [instruments.count, instruments.idleMax, instruments.idleMin, instruments.max, instruments.pendingRequests];
}
