import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR_ERROR_TYPE, ATTR_RETRY_ATTEMPT, ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_MAX_ATTEMPTS, ATTR_RETRY_OUTCOME } from '@dyntel/semconv';
import type PromiseRetry from 'promise-retry';
import { Harness } from '../test/support/harness';
import { RetryTelemetry } from './telemetry';
import { waitOut } from '../test/support/waits';
import { Unavailable } from '../test/support/failures';

let harness: Harness;
let promiseRetry: typeof PromiseRetry;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  harness = new Harness();
  // promise-retry 2 depends on retry 0.12, its own copy.
  harness.require('promise-retry/node_modules/retry');
  promiseRetry = harness.require<typeof PromiseRetry>('promise-retry');
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await harness.close();
});

function summary() {
  return harness.spans().map((s) => [s.name, s.attributes[ATTR_RETRY_ATTEMPT] ?? s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_ERROR_TYPE]]);
}

describe('promise-retry', () => {
  it('records attempts failed through retry(err) with the user’s error, not promise-retry’s wrapper; the waits from its operation; either signature', async () => {
    const ran: number[] = [];
    const done = promiseRetry({ retries: 2, minTimeout: 20, factor: 2 }, async function fetchPrices(again, attempt) {
      ran.push(attempt);
      if (attempt < 3) return again(new Unavailable(`down ${attempt}`));
      return 'prices';
    });
    await waitOut(harness, ran, 2, 20);
    await waitOut(harness, ran, 3, 40);
    expect(await done).toBe('prices');
    expect(summary()).toEqual([
      ['retry.attempt fetchPrices', 1, 'Unavailable'],
      ['retry.attempt fetchPrices', 2, 'Unavailable'],
      ['retry.attempt fetchPrices', 3, undefined],
      ['retry.call fetchPrices', 'success', undefined],
    ]);
    expect(harness.spans().at(-1)!.attributes[ATTR_RETRY_MAX_ATTEMPTS]).toBe(3);
  });

  it('is exhausted when the last attempt called retry(err), aborted when an attempt rejected without it', async () => {
    const ran: number[] = [];
    const exhausted = promiseRetry(
      (again, attempt) => {
        ran.push(attempt);
        return Promise.reject(new Unavailable(`down ${attempt}`)).catch(again);
      },
      { retries: 1, minTimeout: 10 },
    );
    const rejection = expect(exhausted).rejects.toThrow('down 2');
    await waitOut(harness, ran, 2, 10);
    await rejection;
    const fatal = new Unavailable('fatal');
    await expect(promiseRetry(() => Promise.reject(fatal), { retries: 3 })).rejects.toBe(fatal);
    await harness.recorder.waitForSpan({ name: 'retry.call', attributes: { [ATTR_RETRY_OUTCOME]: 'aborted' } });
    const calls = harness.spans().filter((s) => s.name === 'retry.call');
    expect(calls.map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      ['exhausted', 2, 'Unavailable'],
      ['aborted', 1, 'Unavailable'],
    ]);
  });

  it('ends every call when its attempts could not be recorded: success, aborted, exhausted', async () => {
    vi.spyOn(RetryTelemetry.prototype, 'beginAttempt').mockReturnValue(undefined);
    const fatal = new Unavailable('fatal');
    expect(await promiseRetry(async () => 'prices', { retries: 1 })).toBe('prices');
    await expect(promiseRetry(() => Promise.reject(fatal), { retries: 1 })).rejects.toBe(fatal);
    await expect(promiseRetry((again) => again(new Unavailable('down')), { retries: 0 })).rejects.toThrow('down');
    const calls = harness.spans().filter((s) => s.name === 'retry.call');
    expect(calls.map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      ['success', undefined],
      ['aborted', 'Unavailable'],
      ['exhausted', 'Unavailable'],
    ]);
  });
});
