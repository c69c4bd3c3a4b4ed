import { SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE,
  ATTR_CIRCUIT_BREAKER_STATE,
  CIRCUIT_BREAKER_STATE_SEVERITY,
  CircuitBreakerOutcome,
  CircuitBreakerState,
  EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
  NAME_LENGTH_LIMIT,
  SPAN_CIRCUIT_BREAKER_CALL,
} from '@dyntel/semconv';
import { emitEvent, spanName } from '@dyntel/instrumentation-kit';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { WaitTimeoutError, waitForBreakerCall, waitForBreakerState } from './index';

/** Emits a state change the way the instrumentation does. */
function changeState(logger: Logger, name: string, previous: CircuitBreakerState, state: CircuitBreakerState): void {
  emitEvent(logger as never, {
    name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
    severity: CIRCUIT_BREAKER_STATE_SEVERITY[state],
    attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: state, [ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE]: previous },
  });
}

describe('waitForBreakerState', () => {
  it('finds a breaker by a name longer than the contract allows, as telemetry carries it cut', async () => {
    const { recorder, logger } = privateSetup();
    const long = 'inventory-'.repeat(20);
    changeState(logger, long.slice(0, NAME_LENGTH_LIMIT), CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN);
    await expect(waitForBreakerState(recorder, long, CircuitBreakerState.OPEN)).resolves.toBeDefined();
  });

  it('resolves with the change of that breaker into that state, ignoring other breakers and states', async () => {
    const { recorder, logger } = privateSetup();
    const waiting = waitForBreakerState(recorder, 'b1', CircuitBreakerState.HALF_OPEN);
    // The breaker half-opens on its own timer; setImmediate stands in for it.
    setImmediate(() => {
      changeState(logger, 'b2', CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
      changeState(logger, 'b1', CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN);
      changeState(logger, 'b1', CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
    });
    const event = await waiting;
    expect(event.attributes).toEqual({
      [ATTR_CIRCUIT_BREAKER_NAME]: 'b1',
      [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.HALF_OPEN,
      [ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE]: CircuitBreakerState.OPEN,
    });
  });

  it('finds a change recorded before the wait started, also as a span event', async () => {
    const { recorder, tracer, logger } = privateSetup();
    tracer.startActiveSpan(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b1'), (span) => {
      changeState(logger, 'b1', CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN);
      span.end();
    });
    await expect(waitForBreakerState(recorder, 'b1', CircuitBreakerState.OPEN)).resolves.toMatchObject({ name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE });
    expect(recorder.events().map((e) => e.source)).toEqual(['span', 'log']);
  });

  it('on timeout lists the breaker\'s other state changes and other breakers entering that state', async () => {
    const { recorder, logger } = privateSetup();
    changeState(logger, 'b1', CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN);
    changeState(logger, 'b2', CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
    const error = (await waitForBreakerState(recorder, 'b1', CircuitBreakerState.HALF_OPEN, { timeoutMillis: 25 }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toMatchInlineSnapshot(`
      "waitForBreakerState timed out after 25 ms.

      Expected breaker "b1" to enter state half_open, i.e. an event matching:
        { name: "resilience.circuit_breaker.state_change", attributes: { "resilience.circuit_breaker.name": "b1", "resilience.circuit_breaker.state": "half_open" } }

      Closest recorded events (2 recorded):
        #1 "resilience.circuit_breaker.state_change" (log record)
           ✓ name: "resilience.circuit_breaker.state_change"
           ✗ attributes["resilience.circuit_breaker.name"]: expected "b1", got "b2"
           ✓ attributes["resilience.circuit_breaker.state"]: "half_open"
        #2 "resilience.circuit_breaker.state_change" (log record)
           ✓ name: "resilience.circuit_breaker.state_change"
           ✓ attributes["resilience.circuit_breaker.name"]: "b1"
           ✗ attributes["resilience.circuit_breaker.state"]: expected "half_open", got "open"

      State changes of breaker "b1" (1):
        - closed → open

      Other breakers entering half_open (1):
        - "b2": open → half_open"
    `);
    // The stack points at this test, not at the wait's internals.
    expect(error.stack?.split('\n').find((line) => line.startsWith('    at '))).toContain('circuit-breaker-waits.test.ts');
  });

  it('rejects a state outside the contract and a missing name', async () => {
    const { recorder } = privateSetup();
    await expect(waitForBreakerState(recorder, 'b1', 'half-open' as never)).rejects.toThrow(
      /waitForBreakerState: invalid state: "half-open"; expected one of closed, open, half_open, forced_open, disabled/,
    );
    await expect(waitForBreakerState(recorder, '', CircuitBreakerState.OPEN)).rejects.toThrow(/invalid breaker name: ""/);
    await expect(waitForBreakerState({} as never, 'b1', CircuitBreakerState.OPEN)).rejects.toThrow(/waitForBreakerState: invalid recorder: \{\}; expected a Recorder/);
  });
});

describe('waitForBreakerCall', () => {
  it('resolves with the call span of that breaker with that outcome', async () => {
    const { recorder, tracer } = privateSetup();
    const call = (name: string, outcome: CircuitBreakerOutcome) =>
      tracer.startSpan(spanName(SPAN_CIRCUIT_BREAKER_CALL, name), { attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_OUTCOME]: outcome } });
    const waiting = waitForBreakerCall(recorder, 'b1', { outcome: CircuitBreakerOutcome.REJECTED });
    call('b1', CircuitBreakerOutcome.SUCCESS).end();
    call('b2', CircuitBreakerOutcome.REJECTED).end();
    const rejected = call('b1', CircuitBreakerOutcome.REJECTED);
    rejected.setStatus({ code: SpanStatusCode.ERROR });
    rejected.end();
    expect(await waiting).toMatchObject({ name: spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b1'), attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.REJECTED } });
    await expect(waitForBreakerCall(recorder, 'b2')).resolves.toMatchObject({ name: spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b2') });
  });

  it('on timeout lists the breaker\'s calls and other breakers\' calls with that outcome', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b1'), { attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.SUCCESS } }).end();
    tracer.startSpan(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'b2'), { attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE } }).end();
    const error = (await waitForBreakerCall(recorder, 'b1', { outcome: CircuitBreakerOutcome.FAILURE, timeoutMillis: 10 }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('waitForBreakerCall timed out after 10 ms.\n\nExpected a call of breaker "b1" with outcome failure, i.e. a span matching:');
    expect(error.message).toContain('Calls of breaker "b1" (1):\n  - "circuit_breaker.call b1": outcome success');
    expect(error.message).toContain('Calls of other breakers with outcome failure (1):\n  - "circuit_breaker.call b2": outcome failure');
    await expect(waitForBreakerCall(recorder, 'b1', { outcome: 'failed' as never })).rejects.toThrow(/invalid outcome: "failed"; expected one of success, failure/);
  });
});
