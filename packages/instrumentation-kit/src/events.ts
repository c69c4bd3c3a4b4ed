import { context as otelContext, SeverityNumber, trace, type Attributes, type Context, type Logger } from '@opentelemetry/api';
import type { Severity } from '@dyntel/semconv';

const SEVERITY_TEXT: Record<Severity, string> = {
  [SeverityNumber.INFO]: 'INFO',
  [SeverityNumber.WARN]: 'WARN',
  [SeverityNumber.ERROR]: 'ERROR',
};

/** One contract event to emit. */
export interface ContractEvent {
  /** Event name, one of the `EVENT_*` constants of `@dyntel/semconv`. */
  name: string;
  severity: Severity;
  attributes: Attributes;
  /** Context whose span receives the span event; the active context by default. */
  context?: Context;
}

/**
 * Emits an event the way the contract requires (through the Logs API of `@opentelemetry/api`,
 * where the OpenTelemetry 3.x SDK registers its logger provider): a span event on the
 * context's span when it is recording, and always a log record with `eventName`, so that a
 * change that happens on a timer outside any span is still exported and awaitable.
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
