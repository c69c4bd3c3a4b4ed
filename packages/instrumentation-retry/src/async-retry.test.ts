import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_MAX_ATTEMPTS,
  ATTR_RETRY_OUTCOME,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_RETRIES,
} from '@dyntel/semconv';
import type AsyncRetry from 'async-retry';
import { Harness } from '../test/support/harness';
import { waitOut } from '../test/support/waits';
import { Unavailable } from '../test/support/failures';

let harness: Harness;
let retry: typeof AsyncRetry;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  harness = new Harness();
  harness.require('retry');
  retry = harness.require<typeof AsyncRetry>('async-retry');
});
afterEach(async () => {
  vi.useRealTimers();
  await harness.close();
});

function summary() {
  return harness.spans().map((s) => [s.name, s.attributes[ATTR_RETRY_ATTEMPT] ?? s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_ERROR_TYPE]]);
}

describe('async-retry', () => {
  it('records one call over the retry operation it builds: its attempts, the waits the operation planned, onRetry after each backoff event', async () => {
    const ran: number[] = [];
    const seen: unknown[] = [];
    const done = retry(
      async function fetchStock(_bail, attempt) {
        ran.push(attempt);
        if (attempt < 3) throw new Unavailable(`down ${attempt}`);
        return 'stock';
      },
      {
        retries: 3,
        minTimeout: 100,
        factor: 2,
        randomize: false,
        onRetry: (error, attempt) => seen.push([(error as Error).message, attempt, harness.events(EVENT_RETRY_BACKOFF).length]),
      },
    );
    await waitOut(harness, ran, 2, 100);
    await waitOut(harness, ran, 3, 200);
    expect(await done).toBe('stock');
    expect(seen).toEqual([
      ['down 1', 1, 1],
      ['down 2', 2, 2],
    ]);
    // Counted once: the retry layer reports its waits and records no call of its own.
    expect(summary()).toEqual([
      ['retry.attempt fetchStock', 1, 'Unavailable'],
      ['retry.attempt fetchStock', 2, 'Unavailable'],
      ['retry.attempt fetchStock', 3, undefined],
      ['retry.call fetchStock', 'success', undefined],
    ]);
    const call = harness.spans().at(-1)!;
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_ATTEMPT_COUNT]: 3, [ATTR_RETRY_MAX_ATTEMPTS]: 4 });
    expect(harness.spans().slice(0, 3).map((s) => s.attributes[ATTR_RETRY_DELAY])).toEqual([undefined, 0.1, 0.2]);
    expect((await harness.points(METRIC_RETRY_RETRIES)).map((p) => p.value)).toEqual([2]);
  });

  it('waits the randomized delay the operation drew (randomize is on by default)', async () => {
    const ran: number[] = [];
    const done = retry(
      async (_bail, attempt) => {
        ran.push(attempt);
        if (attempt === 1) throw new Unavailable('down');
      },
      { retries: 1, minTimeout: 1000 },
    );
    const event = await harness.waitForEvent(EVENT_RETRY_BACKOFF);
    const delay = Number(event.attributes[ATTR_RETRY_DELAY]) * 1000;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(2000);
    await waitOut(harness, ran, 2, delay);
    await done;
  });

  it('records bail() in a later attempt as aborted with its error, and an error flagged bail as aborted', async () => {
    const fatal = new Unavailable('fatal');
    const ran: number[] = [];
    const bailed = retry(
      async (bail, attempt) => {
        ran.push(attempt);
        if (attempt === 1) throw new Unavailable('down');
        bail(fatal);
      },
      { retries: 5, minTimeout: 10, randomize: false },
    );
    const rejection = expect(bailed).rejects.toBe(fatal);
    await waitOut(harness, ran, 2, 10);
    await rejection;
    const flagged = Object.assign(new Unavailable('flagged'), { bail: true });
    await expect(retry(async () => Promise.reject(flagged), { retries: 5 })).rejects.toBe(flagged);
    await harness.recorder.waitForSpan({ name: 'retry.call', attributes: { [ATTR_RETRY_OUTCOME]: 'aborted', [ATTR_RETRY_ATTEMPT_COUNT]: 1 } });
    const calls = harness.spans().filter((s) => s.name === 'retry.call');
    expect(calls.map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      ['aborted', 2, 'Unavailable'],
      ['aborted', 1, 'Unavailable'],
    ]);
  });

  it('records exhaustion with the error async-retry rejects with', async () => {
    const ran: number[] = [];
    const done = retry(
      async (_bail, attempt) => {
        ran.push(attempt);
        throw new Unavailable(`down ${attempt}`);
      },
      { retries: 1, minTimeout: 10, randomize: false },
    );
    const rejection = expect(done).rejects.toThrow('down 2');
    await waitOut(harness, ran, 2, 10);
    await rejection;
    expect(summary().at(-1)).toEqual(['retry.call', 'exhausted', 'Unavailable']);
  });
});
