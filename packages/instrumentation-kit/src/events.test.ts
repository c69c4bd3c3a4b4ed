import { context, SeverityNumber, trace, type LogRecord, type Logger } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { EVENT_CIRCUIT_BREAKER_STATE_CHANGE, Severity } from '@dyntel/semconv';
import { emitEvent } from './events';

function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { records, logger: { emit: (record) => records.push(record), enabled: () => true } };
}

describe('emitEvent', () => {
  const attributes = { 'resilience.circuit_breaker.state': 'open' };

  it('emits a log record with the event name even outside any span', () => {
    const { logger, records } = recordingLogger();
    emitEvent(logger, { name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE, severity: Severity.ERROR, attributes });
    expect(records).toEqual([
      expect.objectContaining({
        eventName: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
        severityNumber: SeverityNumber.ERROR,
        severityText: 'ERROR',
        attributes,
      }),
    ]);
  });

  it('also adds a span event to the recording span of the context', () => {
    const { logger, records } = recordingLogger();
    const events: Array<[string, unknown]> = [];
    const span = {
      ...trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }),
      isRecording: () => true,
      addEvent: (name: string, attrs: unknown) => {
        events.push([name, attrs]);
        return span;
      },
    } as unknown as ReturnType<typeof trace.wrapSpanContext>;
    const ctx = trace.setSpan(context.active(), span);
    emitEvent(logger, { name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE, severity: Severity.ERROR, attributes, context: ctx });
    expect(events).toEqual([[EVENT_CIRCUIT_BREAKER_STATE_CHANGE, attributes]]);
    expect(records[0]?.context).toBe(ctx);
  });
});
