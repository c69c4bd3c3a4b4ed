import { SeverityNumber } from '@opentelemetry/api-logs';
import { EVENT_CIRCUIT_BREAKER_STATE_CHANGE, ATTR_CIRCUIT_BREAKER_STATE, CircuitBreakerState, CIRCUIT_BREAKER_STATE_SEVERITY } from '@dyntel/semconv';
import { emitEvent } from '@dyntel/instrumentation-kit';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';

describe('waitForEvent', () => {
  it('resolves on a log record with an event name emitted on a timer outside any span', async () => {
    const { recorder, logger } = privateSetup();
    const waiting = recorder.waitForEvent({
      name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
      attributes: { [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.HALF_OPEN },
      source: 'log',
      severityNumber: SeverityNumber.WARN,
    });
    // The breaker half-opens on its own timer; setImmediate stands in for it (no span is active).
    setImmediate(() =>
      emitEvent(logger, {
        name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
        severity: CIRCUIT_BREAKER_STATE_SEVERITY[CircuitBreakerState.HALF_OPEN],
        attributes: { [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.HALF_OPEN },
      }),
    );
    const event = await waiting;
    expect(event.spanContext).toBeUndefined();
    expect(event.severityText).toBe('WARN');
  });

  it('sees a span event the moment it is added, before the span ends', async () => {
    const { recorder, tracer } = privateSetup();
    const span = tracer.startSpan('long-lived');
    const waiting = recorder.waitForEvent({ name: 'checkpoint', source: 'span', attributes: { step: 2 } });
    span.addEvent('checkpoint', { step: 1 });
    span.addEvent('checkpoint', { step: 2 });
    const event = await waiting;
    expect(event.span?.name).toBe('long-lived');
    expect(span.isRecording()).toBe(true);
    span.end();
    // the event is recorded once, not again at span end
    expect(recorder.events().filter((e) => e.name === 'checkpoint')).toHaveLength(2);
  });

  it('finds events recorded before the wait started, including recordException', async () => {
    const { recorder, tracer } = privateSetup();
    const span = tracer.startSpan('failing');
    span.recordException(new TypeError('nope'));
    span.end();
    const event = await recorder.waitForEvent({ name: 'exception', attributes: { 'exception.type': 'TypeError' } });
    expect(event.source).toBe('span');
  });

  it('ignores plain log records without an event name', async () => {
    const { recorder, logger } = privateSetup();
    logger.emit({ body: 'just a log line' });
    expect(recorder.events()).toEqual([]);
  });

  it('waitForEvents counts, and a timeout lists the closest events', async () => {
    const { recorder, logger } = privateSetup();
    logger.emit({ eventName: 'tick', attributes: { n: 1 } });
    const waiting = recorder.waitForEvents('tick', { count: 2 });
    logger.emit({ eventName: 'tick', attributes: { n: 2 } });
    await expect(waiting).resolves.toHaveLength(2);
    await expect(recorder.waitForEvent({ name: 'tick', attributes: { n: 3 } }, { timeoutMillis: 20 })).rejects.toThrow(
      /Closest recorded events \(2 recorded\):\n {2}#1 "tick" \(log record\)\n {5}✓ name: "tick"\n {5}✗ attributes\["n"\]: expected 3, got 2/,
    );
  });

  it('rejects malformed event patterns', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForEvent({ source: 'metric' } as never)).rejects.toThrow(`@dyntel/test-span-assertions: invalid event pattern source: "metric"; expected 'span' or 'log'`);
    await expect(recorder.waitForEvent({ eventName: 'x' } as never)).rejects.toThrow(/invalid event pattern key: "eventName"; expected one of/);
  });
});
