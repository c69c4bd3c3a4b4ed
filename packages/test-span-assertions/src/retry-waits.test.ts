import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  EVENT_RETRY_BACKOFF,
  NAME_LENGTH_LIMIT,
  RetryOutcome,
  Severity,
  SPAN_RETRY_ATTEMPT,
  SPAN_RETRY_CALL,
} from '@dyntel/semconv';
import { emitEvent, spanName } from '@dyntel/instrumentation-kit';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { WaitTimeoutError, waitForRetryAttempt, waitForRetryBackoff, waitForRetryCall } from './index';

// Telemetry emitted the way the retry instrumentation emits it (its own tests drive real
// libraries through these waits).

/** Ends a `retry.call {name}` span with its outcome and attempt count. */
function call(tracer: Tracer, name: string, outcome: RetryOutcome, attempts: number): void {
  const span = tracer.startSpan(spanName(SPAN_RETRY_CALL, name), {
    attributes: { [ATTR_RETRY_NAME]: name, [ATTR_RETRY_OUTCOME]: outcome, [ATTR_RETRY_ATTEMPT_COUNT]: attempts },
  });
  if (outcome !== RetryOutcome.SUCCESS) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Ends a `retry.attempt {name}` span; `error` is its error type when it failed. */
function attempt(tracer: Tracer, name: string, number: number, error?: string): void {
  const span = tracer.startSpan(spanName(SPAN_RETRY_ATTEMPT, name), {
    attributes: { [ATTR_RETRY_NAME]: name, [ATTR_RETRY_ATTEMPT]: number, ...(error === undefined ? {} : { [ATTR_ERROR_TYPE]: error }) },
  });
  span.end();
}

/** Emits the backoff before attempt `next` with its delay in seconds. */
function backoff(logger: Logger, name: string, next: number, delaySeconds: number): void {
  emitEvent(logger as never, {
    name: EVENT_RETRY_BACKOFF,
    severity: Severity.WARN,
    attributes: { [ATTR_RETRY_NAME]: name, [ATTR_RETRY_ATTEMPT]: next, [ATTR_RETRY_DELAY]: delaySeconds, [ATTR_ERROR_TYPE]: 'Unavailable' },
  });
}

describe('waitForRetryCall', () => {
  it('resolves with the call of that retry with that outcome, ignoring other retries and outcomes', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = waitForRetryCall(recorder, 'inventory', { outcome: RetryOutcome.EXHAUSTED });
    setImmediate(() => {
      call(tracer, 'inventory', RetryOutcome.SUCCESS, 2);
      call(tracer, 'payments', RetryOutcome.EXHAUSTED, 3);
      call(tracer, 'inventory', RetryOutcome.EXHAUSTED, 4);
    });
    expect(await waiting).toMatchObject({ name: 'retry.call inventory', attributes: { [ATTR_RETRY_OUTCOME]: RetryOutcome.EXHAUSTED, [ATTR_RETRY_ATTEMPT_COUNT]: 4 } });
    // Any outcome, already recorded: the first call.
    await expect(waitForRetryCall(recorder, 'inventory')).resolves.toMatchObject({ attributes: { [ATTR_RETRY_OUTCOME]: RetryOutcome.SUCCESS } });
  });

  it('finds a retry by a name longer than the contract allows, as telemetry carries it cut', async () => {
    const { recorder, tracer } = privateSetup();
    const long = 'inventory-'.repeat(20);
    call(tracer, long.slice(0, NAME_LENGTH_LIMIT), RetryOutcome.SUCCESS, 1);
    await expect(waitForRetryCall(recorder, long, { outcome: RetryOutcome.SUCCESS })).resolves.toBeDefined();
  });

  it("on timeout lists the retry's calls and other retries' calls with that outcome", async () => {
    const { recorder, tracer } = privateSetup();
    call(tracer, 'inventory', RetryOutcome.SUCCESS, 3);
    call(tracer, 'payments', RetryOutcome.EXHAUSTED, 2);
    const error = (await waitForRetryCall(recorder, 'inventory', { outcome: RetryOutcome.EXHAUSTED, timeoutMillis: 25 }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toContain('waitForRetryCall timed out after 25 ms.\n\nExpected a call of retry "inventory" with outcome exhausted, i.e. a span matching:');
    expect(error.message).toContain('Calls of retry "inventory" (1):\n  - "retry.call inventory": outcome success after 3 attempts');
    expect(error.message).toContain('Calls of other retries with outcome exhausted (1):\n  - "retry.call payments": outcome exhausted after 2 attempts');
    // The stack points at this test, not at the wait's internals.
    expect(error.stack?.split('\n').find((line) => line.startsWith('    at '))).toContain('retry-waits.test.ts');
  });

  it('rejects an outcome outside the contract and a missing name', async () => {
    const { recorder } = privateSetup();
    await expect(waitForRetryCall(recorder, 'inventory', { outcome: 'failed' as never })).rejects.toThrow(
      'waitForRetryCall: invalid outcome: "failed"; expected one of success, exhausted, aborted, cancelled',
    );
    await expect(waitForRetryCall(recorder, '')).rejects.toThrow(`waitForRetryCall: invalid retry name: ""; expected the retry's name, a non-empty string`);
  });
});

describe('waitForRetryBackoff', () => {
  it('resolves with the backoff of that retry before that attempt', async () => {
    const { recorder, logger } = privateSetup();
    const waiting = waitForRetryBackoff(recorder, 'inventory', { attempt: 3 });
    setImmediate(() => {
      backoff(logger, 'payments', 3, 1);
      backoff(logger, 'inventory', 2, 0.1);
      backoff(logger, 'inventory', 3, 0.2);
    });
    expect((await waiting).attributes).toMatchObject({ [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_ATTEMPT]: 3, [ATTR_RETRY_DELAY]: 0.2 });
    await expect(waitForRetryBackoff(recorder, 'inventory')).resolves.toMatchObject({ attributes: { [ATTR_RETRY_ATTEMPT]: 2 } });
  });

  it('on timeout lists the backoffs of the retry and of other retries', async () => {
    const { recorder, logger } = privateSetup();
    backoff(logger, 'inventory', 2, 0.1);
    backoff(logger, 'payments', 3, 1);
    const error = (await waitForRetryBackoff(recorder, 'inventory', { attempt: 3, timeoutMillis: 25 }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error.message).toMatchInlineSnapshot(`
      "waitForRetryBackoff timed out after 25 ms.

      Expected retry "inventory" to back off before attempt 3, i.e. an event matching:
        { name: "resilience.retry.backoff", source: "log", attributes: { "resilience.retry.name": "inventory", "resilience.retry.attempt": 3 } }

      Closest recorded events (2 recorded):
        #1 "resilience.retry.backoff" (log record)
           ✓ name: "resilience.retry.backoff"
           ✓ source: log
           ✗ attributes["resilience.retry.name"]: expected "inventory", got "payments"
           ✓ attributes["resilience.retry.attempt"]: 3
        #2 "resilience.retry.backoff" (log record)
           ✓ name: "resilience.retry.backoff"
           ✓ source: log
           ✓ attributes["resilience.retry.name"]: "inventory"
           ✗ attributes["resilience.retry.attempt"]: expected 3, got 2

      Backoffs of retry "inventory" (1):
        - "inventory": before attempt 2, 0.1 s (Unavailable)

      Backoffs of other retries (1):
        - "payments": before attempt 3, 1 s (Unavailable)"
    `);
  });

  it('rejects an attempt that is not a number from 1', async () => {
    const { recorder } = privateSetup();
    for (const bad of [0, 1.5, '2', -1]) {
      await expect(waitForRetryBackoff(recorder, 'inventory', { attempt: bad as never })).rejects.toThrow(/^waitForRetryBackoff: invalid attempt: .*; expected an attempt number, an integer from 1$/);
    }
  });
});

describe('waitForRetryAttempt', () => {
  it('resolves with that attempt of that retry, ignoring the others', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = waitForRetryAttempt(recorder, 'inventory', 2);
    setImmediate(() => {
      attempt(tracer, 'inventory', 1, 'Unavailable');
      attempt(tracer, 'payments', 2);
      attempt(tracer, 'inventory', 2);
    });
    expect(await waiting).toMatchObject({ name: 'retry.attempt inventory', attributes: { [ATTR_RETRY_ATTEMPT]: 2 } });
    await expect(waitForRetryAttempt(recorder, 'inventory', 1)).resolves.toMatchObject({ attributes: { [ATTR_ERROR_TYPE]: 'Unavailable' } });
  });

  it("on timeout lists the retry's attempts and other retries' attempts with that number", async () => {
    const { recorder, tracer } = privateSetup();
    attempt(tracer, 'inventory', 1, 'Unavailable');
    attempt(tracer, 'payments', 2);
    const error = (await waitForRetryAttempt(recorder, 'inventory', 2, { timeoutMillis: 25 }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error.message).toContain('waitForRetryAttempt timed out after 25 ms.\n\nExpected attempt 2 of retry "inventory", i.e. a span matching:');
    expect(error.message).toContain('Attempts of retry "inventory" (1):\n  - "retry.attempt inventory": attempt 1 (Unavailable)');
    expect(error.message).toContain('Attempt 2 of other retries (1):\n  - "retry.attempt payments": attempt 2 (no error)');
    await expect(waitForRetryAttempt(recorder, 'inventory', 0)).rejects.toThrow('waitForRetryAttempt: invalid attempt: 0; expected an attempt number, an integer from 1');
  });
});
