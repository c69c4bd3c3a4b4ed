/** Span operation names of the contract; a span is named `{operation}` or `{operation} {name}`. */

/** One protected circuit breaker call. */
export const SPAN_CIRCUIT_BREAKER_CALL = 'circuit_breaker.call';
/** A whole retried call, waits included. */
export const SPAN_RETRY_CALL = 'retry.call';
/** One invocation of the retried function. */
export const SPAN_RETRY_ATTEMPT = 'retry.attempt';
/** Waiting for a pooled resource. */
export const SPAN_POOL_ACQUIRE = 'pool.acquire';
