/** Metric names, units and bucket advice of the contract. */

/** Histogram of protected call durations, in seconds. */
export const METRIC_CIRCUIT_BREAKER_CALL_DURATION = 'resilience.circuit_breaker.call.duration';
/** Counter of breaker state transitions. */
export const METRIC_CIRCUIT_BREAKER_STATE_CHANGES = 'resilience.circuit_breaker.state_changes';
/** Observable up-down counter: 1 for the breaker's current state, 0 for the others. */
export const METRIC_CIRCUIT_BREAKER_STATUS = 'resilience.circuit_breaker.status';
/** Histogram of health check durations, in seconds. */
export const METRIC_HEALTH_CHECK_DURATION = 'resilience.health_check.duration';

/** Histogram of whole retried call durations (waits included), in seconds. */
export const METRIC_RETRY_CALL_DURATION = 'resilience.retry.call.duration';
/** Histogram of single attempt durations, in seconds. */
export const METRIC_RETRY_ATTEMPT_DURATION = 'resilience.retry.attempt.duration';
/** Histogram of attempts per retried call. */
export const METRIC_RETRY_ATTEMPTS = 'resilience.retry.attempts';
/** Counter of retries (attempts after the first). */
export const METRIC_RETRY_RETRIES = 'resilience.retry.retries';

/** Pool connections by state (up-down counter). */
export const METRIC_POOL_CONNECTION_COUNT = 'db.client.connection.count';
/** Pool's maximum idle connections (up-down counter). */
export const METRIC_POOL_IDLE_MAX = 'db.client.connection.idle.max';
/** Pool's minimum idle connections (up-down counter). */
export const METRIC_POOL_IDLE_MIN = 'db.client.connection.idle.min';
/** Pool's maximum connections (up-down counter). */
export const METRIC_POOL_MAX = 'db.client.connection.max';
/** Requests waiting for a connection (up-down counter). */
export const METRIC_POOL_PENDING_REQUESTS = 'db.client.connection.pending_requests';
/** Acquire timeouts (counter). */
export const METRIC_POOL_TIMEOUTS = 'db.client.connection.timeouts';
/** Histogram of connection creation time, in seconds. */
export const METRIC_POOL_CREATE_TIME = 'db.client.connection.create_time';
/** Histogram of time waited for a connection, in seconds. */
export const METRIC_POOL_WAIT_TIME = 'db.client.connection.wait_time';
/** Histogram of time a connection was held, in seconds. */
export const METRIC_POOL_USE_TIME = 'db.client.connection.use_time';
/** Counter of pool errors by operation. */
export const METRIC_POOL_ERRORS = 'resilience.pool.errors';
/** Counter of faults caught inside dyntel instrumentation, by `error.type`. */
export const METRIC_INSTRUMENTATION_ERRORS = 'dyntel.instrumentation.errors';

/** Metric units of the contract (UCUM, as OpenTelemetry writes them). */
export const Unit = Object.freeze({
  SECONDS: 's',
  ONE: '1',
  STATE_CHANGE: '{state_change}',
  ATTEMPT: '{attempt}',
  RETRY: '{retry}',
  CONNECTION: '{connection}',
  REQUEST: '{request}',
  TIMEOUT: '{timeout}',
  ERROR: '{error}',
  TOKEN: '{token}',
  TRANSFER: '{transfer}',
  TRIGGER: '{trigger}',
  INVOCATION: '{invocation}',
  ACTOR: '{actor}',
  RESTART: '{restart}',
  MESSAGE: '{message}',
  TRANSITION: '{transition}',
} as const);

/** Explicit bucket boundaries advised for every duration histogram, in seconds. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** Explicit bucket boundaries advised for `resilience.retry.attempts`. */
export const RETRY_ATTEMPT_BUCKETS: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 10]);
