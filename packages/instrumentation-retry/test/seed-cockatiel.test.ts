// The seed scenario of the retry instrumentation with cockatiel: a retry exhausts its attempts,
// then the breaker around it opens. Every step is awaited as telemetry; the backoff waits run
// under fake timers, advanced once each wait has been announced.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nameCircuitBreaker } from '@dyntel/instrumentation-circuit-breaker';
import { waitForBreakerState } from '@dyntel/test-span-assertions';
import {
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  CircuitBreakerState,
  EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
  EVENT_RETRY_BACKOFF,
} from '@dyntel/semconv';
import type * as Cockatiel from 'cockatiel';
import { nameRetry } from '../src/naming';
import { RetryAndBreakerHarness } from './support/with-breaker';
import { Unavailable } from './support/failures';

type Library = typeof Cockatiel;

const LOADERS: [string, (harness: RetryAndBreakerHarness) => Promise<Library>][] = [
  ['cockatiel-v3', async (harness) => harness.requireBoth<Library>('cockatiel-v3')],
  ['cockatiel', (harness) => harness.importBoth<Library>('cockatiel')],
];

describe.each(LOADERS)('%s: a retry exhausts its attempts, then the breaker around it opens', (_pkg, load) => {
  let harness: RetryAndBreakerHarness;
  let c: Library;
  beforeEach(async () => {
    harness = new RetryAndBreakerHarness();
    c = await load(harness);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  it('retry.call ends exhausted after its waits, then the breaker opens, then the next call is rejected without a retry', async () => {
    const retry = nameRetry(c.retry(c.handleAll, { maxAttempts: 2, backoff: new c.ConstantBackoff(1_000) }), 'inventory');
    const breaker = nameCircuitBreaker(c.circuitBreaker(c.handleAll, { halfOpenAfter: 30_000, breaker: new c.ConsecutiveBreaker(1) }), 'inventory');
    const checkout = c.wrap(breaker, retry);
    const opened = waitForBreakerState(harness.recorder, 'inventory', CircuitBreakerState.OPEN);

    const result = checkout.execute(() => Promise.reject(new Unavailable('inventory down')));
    result.catch(() => undefined);
    for (const attempt of [2, 3]) {
      await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_ATTEMPT]: attempt, [ATTR_RETRY_DELAY]: 1 });
      await vi.advanceTimersByTimeAsync(1_000);
    }
    await expect(result).rejects.toThrow('inventory down');

    // In the order the spans ended: the exhausted retry, then the breaker call that opened on it.
    const [call, breakerCall] = await harness.recorder.waitForSequence([
      { name: 'retry.call inventory', attributes: { [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_RETRY_ATTEMPT_COUNT]: 3, [ATTR_ERROR_TYPE]: 'Unavailable' } },
      {
        name: 'circuit_breaker.call inventory',
        attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'failure' },
        events: [{ name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE, attributes: { [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.OPEN } }],
      },
    ]);
    expect(call!.parentSpanContext?.spanId).toBe(breakerCall!.spanContext().spanId);
    const open = await opened;
    expect(open.attributes).toMatchObject({ [ATTR_ERROR_TYPE]: 'Unavailable' });
    // As log records: both waits were announced before the breaker opened.
    expect(harness.recorder.events().filter((e) => e.source === 'log').map((e) => [e.name, e.attributes[ATTR_RETRY_ATTEMPT] ?? e.attributes[ATTR_CIRCUIT_BREAKER_STATE]])).toEqual([
      [EVENT_RETRY_BACKOFF, 2],
      [EVENT_RETRY_BACKOFF, 3],
      [EVENT_CIRCUIT_BREAKER_STATE_CHANGE, CircuitBreakerState.OPEN],
    ]);

    // Open: the breaker rejects before the retry policy runs.
    await expect(checkout.execute(() => 'never called')).rejects.toBeInstanceOf(c.BrokenCircuitError);
    await harness.recorder.waitForSpan({ name: 'circuit_breaker.call inventory', attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'rejected' } });
    expect(harness.spans().filter((s) => s.name === 'retry.call inventory')).toHaveLength(1);
  });
});
