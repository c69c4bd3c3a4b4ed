import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_DELAY, RetryOutcome } from '@dyntel/semconv';
import { waitForRetryAttempt, waitForRetryBackoff, waitForRetryCall } from '@dyntel/test-span-assertions';
import { nameRetry } from '../src/naming';
import { PRetryHarness } from './support/p-retry';

// The retry waits of @dyntel/test-span-assertions on real p-retry 9 under fake timers: a test
// waits for the backoff (recorded before the wait), advances the clock by the delay it carries,
// waits for the attempt that follows, and finally for the call to be exhausted. Nothing sleeps.
let harness: PRetryHarness;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  harness = new PRetryHarness();
});
afterEach(async () => {
  vi.useRealTimers();
  await harness.close();
});

it('a test follows a retry through its backoffs and attempts to its exhaustion, in the family\'s words', async () => {
  const pRetry = (await harness.pRetry('p-retry')).default;
  const ran: number[] = [];
  const failing = nameRetry(async (attempt: number) => {
    ran.push(attempt);
    throw new Error('inventory down');
  }, 'inventory');
  const caller = pRetry(failing, { retries: 2, minTimeout: 100, factor: 2, randomize: false }).catch((error: unknown) => error);

  for (const [next, delayMillis] of [[2, 100], [3, 200]] as const) {
    const backoff = await waitForRetryBackoff(harness.recorder, 'inventory', { attempt: next });
    expect(backoff.attributes[ATTR_RETRY_DELAY]).toBe(delayMillis / 1000);
    // The backoff is known before the wait: the attempt it announces has not run yet.
    expect(ran).not.toContain(next);
    await vi.advanceTimersByTimeAsync(delayMillis);
    await waitForRetryAttempt(harness.recorder, 'inventory', next);
  }

  const call = await waitForRetryCall(harness.recorder, 'inventory', { outcome: RetryOutcome.EXHAUSTED });
  expect(call.attributes[ATTR_RETRY_ATTEMPT_COUNT]).toBe(3);
  expect(ran).toEqual([1, 2, 3]);
  expect(((await caller) as Error).message).toBe('inventory down');
});
