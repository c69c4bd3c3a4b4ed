import { SeverityNumber } from '@opentelemetry/api';
import { CircuitBreakerState } from './enums';

/** A breaker changed state. */
export const EVENT_CIRCUIT_BREAKER_STATE_CHANGE = 'resilience.circuit_breaker.state_change';
/** A health check ran. */
export const EVENT_HEALTH_CHECK = 'resilience.health_check';
/** A retry is about to wait before its next attempt. */
export const EVENT_RETRY_BACKOFF = 'resilience.retry.backoff';
/** A component started, stopped or restarted. */
export const EVENT_LIFECYCLE = 'resilience.lifecycle';

/** Severities the contract assigns to events, as OpenTelemetry log severities. */
export const Severity = Object.freeze({
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
} as const);
/** An event severity. */
export type Severity = (typeof Severity)[keyof typeof Severity];

/** The severity of entering each circuit breaker state: open and forced_open ERROR, half_open WARN, else INFO. */
export const CIRCUIT_BREAKER_STATE_SEVERITY: Readonly<Record<CircuitBreakerState, Severity>> = Object.freeze({
  [CircuitBreakerState.CLOSED]: Severity.INFO,
  [CircuitBreakerState.OPEN]: Severity.ERROR,
  [CircuitBreakerState.HALF_OPEN]: Severity.WARN,
  [CircuitBreakerState.FORCED_OPEN]: Severity.ERROR,
  [CircuitBreakerState.DISABLED]: Severity.INFO,
});
