import { context as otelContext, SeverityNumber, trace, type Attributes, type Context, type Logger } from '@opentelemetry/api';
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

const SEVERITY_TEXT: Record<Severity, string> = {
  [SeverityNumber.INFO]: 'INFO',
  [SeverityNumber.WARN]: 'WARN',
  [SeverityNumber.ERROR]: 'ERROR',
};

/** The contract's severity for entering a breaker state: open ERROR, half_open WARN, else INFO. */
export function stateChangeSeverity(state: CircuitBreakerState): Severity {
  switch (state) {
    case CircuitBreakerState.OPEN:
    case CircuitBreakerState.FORCED_OPEN:
      return Severity.ERROR;
    case CircuitBreakerState.HALF_OPEN:
      return Severity.WARN;
    default:
      return Severity.INFO;
  }
}

/** One contract event to emit. */
export interface ContractEvent {
  /** Event name, one of the `EVENT_*` constants. */
  name: string;
  severity: Severity;
  attributes: Attributes;
  /** Context whose span receives the span event; the active context by default. */
  context?: Context;
}

/**
 * Emits an event the way the contract requires (through the Logs API of `@opentelemetry/api`,
 * which is where the OpenTelemetry 3.x SDK registers its logger provider): a span event on the context's span when it
 * is recording, and always a log record with `eventName`, so a change that happens on a
 * timer outside any span is still exported and awaitable.
 */
export function emitEvent(logger: Logger, event: ContractEvent): void {
  const ctx = event.context ?? otelContext.active();
  const span = trace.getSpan(ctx);
  if (span?.isRecording()) span.addEvent(event.name, event.attributes);
  logger.emit({
    eventName: event.name,
    severityNumber: event.severity,
    severityText: SEVERITY_TEXT[event.severity],
    attributes: event.attributes,
    context: ctx,
  });
}
