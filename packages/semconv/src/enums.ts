/**
 * The closed value sets of the contract. Each is a frozen object of its values plus a type
 * of the same name, so code reads `CircuitBreakerState.OPEN` and types accept only members.
 */

/** Values of `resilience.circuit_breaker.state` and `.previous_state`. */
export const CircuitBreakerState = Object.freeze({
  CLOSED: 'closed',
  OPEN: 'open',
  HALF_OPEN: 'half_open',
  FORCED_OPEN: 'forced_open',
  DISABLED: 'disabled',
} as const);
/** A breaker state. */
export type CircuitBreakerState = (typeof CircuitBreakerState)[keyof typeof CircuitBreakerState];

/** Values of `resilience.circuit_breaker.outcome`. */
export const CircuitBreakerOutcome = Object.freeze({
  SUCCESS: 'success',
  FAILURE: 'failure',
  TIMEOUT: 'timeout',
  /** Short-circuited: open, isolated, or semaphore full. */
  REJECTED: 'rejected',
  /** The error was not counted (opossum errorFilter, cockatiel unhandled errors). */
  IGNORED: 'ignored',
} as const);
/** How a protected call ended. */
export type CircuitBreakerOutcome = (typeof CircuitBreakerOutcome)[keyof typeof CircuitBreakerOutcome];

/** Values of `resilience.retry.outcome`. */
export const RetryOutcome = Object.freeze({
  SUCCESS: 'success',
  EXHAUSTED: 'exhausted',
  /** bail, AbortError, or shouldRetry returned false. */
  ABORTED: 'aborted',
  /** Cancelled through an AbortSignal. */
  CANCELLED: 'cancelled',
} as const);
/** How a retried call ended. */
export type RetryOutcome = (typeof RetryOutcome)[keyof typeof RetryOutcome];

/** Values of `resilience.retry.backoff.strategy`. */
export const BackoffStrategy = Object.freeze({
  CONSTANT: 'constant',
  EXPONENTIAL: 'exponential',
  ITERABLE: 'iterable',
  CUSTOM: 'custom',
} as const);
/** A backoff strategy. */
export type BackoffStrategy = (typeof BackoffStrategy)[keyof typeof BackoffStrategy];

/** Values of `db.client.connection.state`. */
export const PoolConnectionState = Object.freeze({ IDLE: 'idle', USED: 'used' } as const);
/** A pooled connection's state. */
export type PoolConnectionState = (typeof PoolConnectionState)[keyof typeof PoolConnectionState];

/** Values of `resilience.pool.operation`. */
export const PoolOperation = Object.freeze({
  ACQUIRE: 'acquire',
  CREATE: 'create',
  DESTROY: 'destroy',
  VALIDATE: 'validate',
} as const);
/** A pool operation. */
export type PoolOperation = (typeof PoolOperation)[keyof typeof PoolOperation];

/** Values of `resilience.component.kind`. */
export const ComponentKind = Object.freeze({
  SERVICE: 'service',
  CIRCUIT_BREAKER: 'circuit_breaker',
  POOL: 'pool',
} as const);
/** A component kind. */
export type ComponentKind = (typeof ComponentKind)[keyof typeof ComponentKind];

/** Values of `resilience.lifecycle.state`. */
export const LifecycleState = Object.freeze({
  STARTED: 'started',
  STOPPED: 'stopped',
  RESTARTED: 'restarted',
} as const);
/** A lifecycle state. */
export type LifecycleState = (typeof LifecycleState)[keyof typeof LifecycleState];
