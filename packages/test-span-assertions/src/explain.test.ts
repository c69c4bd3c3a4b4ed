import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_OUTCOME, CircuitBreakerOutcome, SPAN_CIRCUIT_BREAKER_CALL } from '@dyntel/semconv';
import { spanName } from '@dyntel/instrumentation-kit';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { WaitTimeoutError, createRecorder } from './index';

describe('timeout explanations', () => {
  it('a near miss shows the closest candidates field by field, and the span that has not ended', async () => {
    const { recorder, tracer } = privateSetup();
    const b1 = spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b1');
    tracer.startSpan(b1, { attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'b1', [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.SUCCESS } }).end();
    const b2 = tracer.startSpan(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b2'), {
      attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'b2', [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE },
    });
    b2.setStatus({ code: SpanStatusCode.ERROR });
    b2.end();
    const running = tracer.startSpan(b1, { attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE } });
    running.setStatus({ code: SpanStatusCode.ERROR });

    const error = (await recorder
      .waitForSpan({ name: b1, status: 'error', attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE } }, { timeoutMillis: 25 })
      .catch((e: unknown) => e)) as WaitTimeoutError;
    running.end();

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toMatchInlineSnapshot(`
      "waitForSpan timed out after 25 ms.

      Expected a span matching:
        { name: "circuit_breaker.call b1", status: "error", attributes: { "resilience.circuit_breaker.outcome": "failure" } }

      Closest recorded spans (2 recorded):
        #1 "circuit_breaker.call b2" (internal, status error)
           ✗ name: expected "circuit_breaker.call b1", got "circuit_breaker.call b2"
           ✓ status: error
           ✓ attributes["resilience.circuit_breaker.outcome"]: "failure"
        #2 "circuit_breaker.call b1" (internal, status unset)
           ✓ name: "circuit_breaker.call b1"
           ✗ status: expected error, got unset
           ✗ attributes["resilience.circuit_breaker.outcome"]: expected "failure", got "success"

      Started but not ended (1); waits resolve when a span ends, so these were not counted:
        - "circuit_breaker.call b1""
    `);
    expect(error.expected).toMatchInlineSnapshot(`
      "name: "circuit_breaker.call b1"
      status: error
      attributes["resilience.circuit_breaker.outcome"]: "failure""
    `);
    expect(error.actual).toMatchInlineSnapshot(`
      "name: "circuit_breaker.call b2"
      status: error
      attributes["resilience.circuit_breaker.outcome"]: "failure""
    `);
  });

  it('gives hints when nothing arrived at all', async () => {
    const recorder = createRecorder(); // never plugged into a provider
    const error = await recorder.waitForSpan('anything', { timeoutMillis: 10 }).catch((e: Error) => e);
    expect(String(error)).toContain('Hint: the recorder has not seen a single span since it was created or reset.');
    expect(String(error)).toMatch(/pass recorder.spanProcessor .* to your NodeSDK/);
    expect(String(error)).toMatch(/a sampler dropped the spans/);
    const eventError = await recorder.waitForEvent('anything', { timeoutMillis: 10 }).catch((e: Error) => e);
    expect(String(eventError)).toContain('Hint: the recorder has not seen a single span event or log record');
  });

  it('inside a test scope, points at work that ran outside it', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('from-a-hook').end();
    await recorder.isolate(async () => {
      const error = (await recorder.waitForSpan('mine', { timeoutMillis: 10 }).catch((e: unknown) => e)) as WaitTimeoutError;
      expect(error.reason).toBe('timeout');
      expect(error.message).toContain('No span has ended in this test scope.\n1 span(s) ended outside it: if this test caused them, its work ran outside recorder.isolate()');
    });
  });

  it('lists several patterns and reports progress for counted waits', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('a').end();
    await expect(recorder.waitForSpans('a', { count: 2, timeoutMillis: 10 })).rejects.toThrow(/Matched 1 of 2 spans\./);
    await expect(recorder.waitForAny(['x', 'y'], { timeoutMillis: 10 })).rejects.toThrow(/Expected spans matching:\n {2}\[0\] "x"\n {2}\[1\] "y"/);
  });
});
