/**
 * Attribute keys of the dyntel contract (docs/telemetry-contract.md). Keys borrowed from the
 * OpenTelemetry semantic conventions keep their upstream spelling.
 */

/** OpenTelemetry `error.type`: the error code, else the error class name, else `_OTHER`. */
export const ATTR_ERROR_TYPE = 'error.type';

/** The breaker's configured, low-cardinality name. */
export const ATTR_CIRCUIT_BREAKER_NAME = 'resilience.circuit_breaker.name';
/** The breaker's state (at call start on spans; the new state on state changes). */
export const ATTR_CIRCUIT_BREAKER_STATE = 'resilience.circuit_breaker.state';
/** The state a breaker left. */
export const ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE = 'resilience.circuit_breaker.previous_state';
/** How a protected call ended: see {@link CircuitBreakerOutcome}. */
export const ATTR_CIRCUIT_BREAKER_OUTCOME = 'resilience.circuit_breaker.outcome';
/** Whether a fallback produced the caller's result (spans only). */
export const ATTR_FALLBACK_EXECUTED = 'resilience.fallback.executed';

/** The retry policy's configured name. */
export const ATTR_RETRY_NAME = 'resilience.retry.name';
/** How a logical retried call ended: see {@link RetryOutcome}. */
export const ATTR_RETRY_OUTCOME = 'resilience.retry.outcome';
/** 1-based attempt number (spans only). */
export const ATTR_RETRY_ATTEMPT = 'resilience.retry.attempt';
/** Total attempts made, the first included (spans only). */
export const ATTR_RETRY_ATTEMPT_COUNT = 'resilience.retry.attempt_count';
/** Total attempts allowed, normalised across libraries (spans only). */
export const ATTR_RETRY_MAX_ATTEMPTS = 'resilience.retry.max_attempts';
/** Planned wait before the next attempt, in seconds (spans and events only). */
export const ATTR_RETRY_DELAY = 'resilience.retry.delay';
/** Backoff strategy: see {@link BackoffStrategy}. */
export const ATTR_RETRY_BACKOFF_STRATEGY = 'resilience.retry.backoff.strategy';

/** OpenTelemetry `db.client.connection.pool.name`. */
export const ATTR_POOL_NAME = 'db.client.connection.pool.name';
/** OpenTelemetry `db.client.connection.state`: `idle` or `used`. */
export const ATTR_POOL_CONNECTION_STATE = 'db.client.connection.state';
/** The pool operation that failed: see {@link PoolOperation}. */
export const ATTR_POOL_OPERATION = 'resilience.pool.operation';

/** The kind of component a lifecycle or health event is about. */
export const ATTR_COMPONENT_KIND = 'resilience.component.kind';
/** The lifecycle state reached. */
export const ATTR_LIFECYCLE_STATE = 'resilience.lifecycle.state';
