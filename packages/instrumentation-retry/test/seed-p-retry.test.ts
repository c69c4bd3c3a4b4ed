// The seed scenario of the retry instrumentation with p-retry 9 and opossum: the checkout
// service retries the flaky downstream inside the breaker, a retry exhausts its attempts, then
// the breaker around it opens. Every step is awaited as telemetry; the backoff waits run under
// fake timers, advanced once each wait has been announced.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { waitForBreakerCall, waitForBreakerState, waitForRetryAttempt, waitForRetryBackoff, waitForRetryCall } from '@dyntel/test-span-assertions';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  CircuitBreakerOutcome,
  CircuitBreakerState,
  EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_RETRIES,
  RetryOutcome,
} from '@dyntel/semconv';
import type CircuitBreakerClass from 'opossum';
import { nameRetry } from '../src/naming';
import type { PRetryModule } from './support/p-retry';
import { RetryAndBreakerHarness } from './support/with-breaker';
import { Unavailable } from './support/failures';

const parentOf = (spans: ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined => spans.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);
const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);

describe('p-retry 9 and opossum: a retry exhausts its attempts, then the breaker around it opens', () => {
  let harness: RetryAndBreakerHarness;
  let pRetry: PRetryModule['default'];
  let CircuitBreaker: typeof CircuitBreakerClass;
  const breakers: CircuitBreakerClass[] = [];
  // The flaky downstream: every attempt (its number in `ran`) fails.
  let ran: number[];
  const fetchStock = nameRetry(async (attempt: number): Promise<string> => {
    ran.push(attempt);
    throw new Unavailable('inventory down');
  }, 'inventory');
  /** One breaker "inventory" that opens on its first failure; opossum's own timeout is off: the waits are the retry's. */
  const breakerOf = <A extends unknown[]>(action: (...args: A) => Promise<string>) => {
    const breaker = new CircuitBreaker(action, { name: 'inventory', timeout: false, volumeThreshold: 1, errorThresholdPercentage: 50, resetTimeout: 30_000 });
    breakers.push(breaker);
    return breaker;
  };

  beforeEach(async () => {
    harness = new RetryAndBreakerHarness();
    pRetry = (await harness.import<PRetryModule>('p-retry')).default;
    CircuitBreaker = harness.requireBreaker<typeof CircuitBreakerClass>('opossum');
    ran = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const breaker of breakers.splice(0)) breaker.shutdown();
    await harness.close();
  });

  it('retry inside the breaker: retry.call ends exhausted after its waits, the breaker call fails and opens it, the next call is rejected without a retry', async () => {
    const checkout = breakerOf(() => pRetry(fetchStock, { retries: 2, minTimeout: 1_000, factor: 2, randomize: false }) as Promise<string>);
    const opened = waitForBreakerState(harness.recorder, 'inventory', CircuitBreakerState.OPEN);

    const result = checkout.fire();
    result.catch(() => undefined);
    for (const [next, delayMillis] of [[2, 1_000], [3, 2_000]] as const) {
      const backoff = await waitForRetryBackoff(harness.recorder, 'inventory', { attempt: next });
      expect(backoff.attributes[ATTR_RETRY_DELAY]).toBe(delayMillis / 1000);
      // Announced before the wait: the attempt it announces has not run, and the breaker is still closed.
      expect(ran).not.toContain(next);
      expect(checkout.opened).toBe(false);
      await vi.advanceTimersByTimeAsync(delayMillis);
      await waitForRetryAttempt(harness.recorder, 'inventory', next);
    }
    await expect(result).rejects.toThrow('inventory down');
    expect(ran).toEqual([1, 2, 3]);

    const call = await waitForRetryCall(harness.recorder, 'inventory', { outcome: RetryOutcome.EXHAUSTED });
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_ATTEMPT_COUNT]: 3, [ATTR_ERROR_TYPE]: 'Unavailable' });
    const breakerCall = await waitForBreakerCall(harness.recorder, 'inventory', { outcome: CircuitBreakerOutcome.FAILURE });
    const open = await opened;
    expect(open.attributes).toMatchObject({ [ATTR_ERROR_TYPE]: 'Unavailable' });
    // One breaker call holds the one retried call, which holds its three attempts.
    const spans = harness.spans();
    expect(parentOf(spans, call)).toBe(breakerCall);
    expect(named(spans, 'retry.attempt inventory').map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], parentOf(spans, s) === call])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    // In the order they were emitted: both waits, then the breaker opening on the exhausted call.
    expect(harness.recorder.events().filter((e) => e.source === 'log').map((e) => [e.name, e.attributes[ATTR_RETRY_ATTEMPT] ?? e.attributes[ATTR_CIRCUIT_BREAKER_STATE]])).toEqual([
      [EVENT_RETRY_BACKOFF, 2],
      [EVENT_RETRY_BACKOFF, 3],
      [EVENT_CIRCUIT_BREAKER_STATE_CHANGE, CircuitBreakerState.OPEN],
    ]);

    // Open: opossum rejects before its action, so p-retry is not called at all.
    await expect(checkout.fire()).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    await waitForBreakerCall(harness.recorder, 'inventory', { outcome: CircuitBreakerOutcome.REJECTED });
    expect(named(harness.spans(), 'retry.call inventory')).toHaveLength(1);
    expect(ran).toEqual([1, 2, 3]);
    // The metrics say the same: one exhausted call of three attempts, two retries.
    expect((await harness.points(METRIC_RETRY_ATTEMPTS)).map((p) => [p.attributes[ATTR_RETRY_OUTCOME], p.value, p.sum])).toEqual([[RetryOutcome.EXHAUSTED, 1, 3]]);
    expect((await harness.points(METRIC_RETRY_RETRIES)).map((p) => [p.attributes[ATTR_RETRY_NAME], p.attributes[ATTR_ERROR_TYPE], p.value])).toEqual([['inventory', 'Unavailable', 2]]);
  });

  it('breaker inside each attempt: each attempt holds a breaker call, and once the breaker opens the retry stops on its refusal', async () => {
    const inventory = breakerOf(fetchStock);
    const result = pRetry(
      nameRetry((attempt: number) => inventory.fire(attempt), 'inventory'),
      // The application stops retrying a breaker that refuses calls.
      { retries: 5, minTimeout: 1_000, factor: 1, shouldRetry: ({ error }: { error: Error & { code?: string } }) => error.code !== 'EOPENBREAKER' },
    );
    result.catch(() => undefined);

    // The first attempt's failure opens the breaker before the first wait is over.
    await waitForBreakerState(harness.recorder, 'inventory', CircuitBreakerState.OPEN);
    await waitForRetryBackoff(harness.recorder, 'inventory', { attempt: 2 });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).rejects.toMatchObject({ code: 'EOPENBREAKER' });

    const call = await waitForRetryCall(harness.recorder, 'inventory', { outcome: RetryOutcome.ABORTED });
    expect(call.attributes[ATTR_RETRY_ATTEMPT_COUNT]).toBe(2);
    const spans = harness.spans();
    const attempts = named(spans, 'retry.attempt inventory');
    const breakerCalls = named(spans, 'circuit_breaker.call inventory');
    expect(breakerCalls.map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], parentOf(spans, s)?.attributes[ATTR_RETRY_ATTEMPT]])).toEqual([
      [CircuitBreakerOutcome.FAILURE, 1],
      [CircuitBreakerOutcome.REJECTED, 2],
    ]);
    expect(attempts.every((s) => parentOf(spans, s) === call)).toBe(true);
    // The downstream saw only the first attempt; the second was the breaker's refusal.
    expect(ran).toEqual([1]);
    expect(harness.events(EVENT_CIRCUIT_BREAKER_STATE_CHANGE).map((e) => e.attributes[ATTR_CIRCUIT_BREAKER_NAME])).toEqual(['inventory']);
  });
});
