import { expect, vi } from 'vitest';
import { ATTR_RETRY_ATTEMPT, ATTR_RETRY_DELAY, EVENT_RETRY_BACKOFF } from '@dyntel/semconv';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { RetryInstrumentation } from '../../src/instrumentation';
import type { RetryInstrumentationConfig } from '../../src/types';

/**
 * Under fake timers: waits for the backoff event announcing attempt `next` and checks its
 * delay, then lets the wait pass, checking that the attempt (recorded in `ran` by the user's
 * function) starts exactly when the planned delay is over, not before the event.
 */
export async function waitOut(
  harness: InstrumentationHarness<RetryInstrumentation, RetryInstrumentationConfig>,
  ran: number[],
  next: number,
  delayMillis: number,
): Promise<void> {
  const event = await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_ATTEMPT]: next });
  expect(event.attributes[ATTR_RETRY_DELAY]).toBe(delayMillis / 1000);
  expect(ran).not.toContain(next);
  if (delayMillis > 1) await vi.advanceTimersByTimeAsync(delayMillis - 1);
  expect(ran).not.toContain(next);
  await vi.advanceTimersByTimeAsync(1);
  expect(ran).toContain(next);
}
