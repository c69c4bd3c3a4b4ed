import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { throwingMeterProvider } from '@dyntel/test-support';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_BACKOFF_STRATEGY,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_MAX_ATTEMPTS,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_RETRIES,
} from '@dyntel/semconv';
import type * as ExponentialBackoff from 'exponential-backoff';
import { nameRetry } from '../src/naming';
import type { RetryInstrumentationConfig } from '../src/types';
import { Harness } from './support/harness';
import { flaky, Unavailable } from './support/failures';

type Library = typeof ExponentialBackoff;

const attempts = (harness: Harness): ReadableSpan[] => harness.spans().filter((s) => s.name.startsWith('retry.attempt'));
const callSpan = (harness: Harness): ReadableSpan => harness.spans().find((s) => s.name.startsWith('retry.call'))!;
const delays = (harness: Harness): unknown[] => attempts(harness).map((s) => s.attributes[ATTR_RETRY_DELAY]);

let harness: Harness;
let backOff: Library['backOff'];
function setup(config: RetryInstrumentationConfig = {}): void {
  harness = new Harness(config);
  backOff = harness.require<Library>('exponential-backoff').backOff;
}
beforeEach(() => setup());
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await harness.close();
});

/**
 * Runs `result` to its end under fake timers: for each retry, waits for its backoff event,
 * checks the wait has not elapsed (the next attempt has not started), then advances the clock
 * by `advance(delay)` milliseconds.
 */
async function drive<T>(result: Promise<T>, retries: number, advance: (delaySeconds: number | undefined) => number): Promise<T> {
  for (let next = 2; next <= retries + 1; next++) {
    const event = await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_ATTEMPT]: next });
    expect(attempts(harness)).toHaveLength(next - 1);
    await vi.advanceTimersByTimeAsync(advance(event.attributes[ATTR_RETRY_DELAY] as number | undefined));
  }
  return result;
}
const exactly = (seconds: number | undefined): number => Math.max(1, Math.round((seconds ?? 0) * 1000));

describe('exponential-backoff backOff', () => {
  it('records a call that succeeds at once: max_attempts is numOfAttempts (10 by default), the request’s `this` kept', async () => {
    const receivers: unknown[] = [];
    const value = await backOff(async function fetchInventory(this: unknown) {
      receivers.push(this);
      return 'in stock';
    });
    expect(value).toBe('in stock');
    // The library calls the request as a method of its own BackOff object.
    expect(receivers).toEqual([expect.objectContaining({ attemptNumber: 0 })]);
    expect(callSpan(harness).attributes).toEqual({
      [ATTR_RETRY_NAME]: 'fetchInventory',
      [ATTR_RETRY_MAX_ATTEMPTS]: 10,
      [ATTR_RETRY_OUTCOME]: 'success',
      [ATTR_RETRY_ATTEMPT_COUNT]: 1,
    });
  });

  it('records the delays its Delay classes compute: startingDelay * timeMultiple^n, capped by maxDelay, each before its wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const result = backOff(flaky(4, 'ok'), nameRetry({ numOfAttempts: 5, startingDelay: 100, timeMultiple: 3, maxDelay: 1_000 }, 'inventory'));
    expect(await drive(result, 4, exactly)).toBe('ok');
    expect(delays(harness)).toEqual([undefined, 0.1, 0.3, 0.9, 1]);
    expect(callSpan(harness).attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'success', [ATTR_RETRY_ATTEMPT_COUNT]: 5, [ATTR_RETRY_MAX_ATTEMPTS]: 5 });
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => [e.attributes[ATTR_RETRY_BACKOFF_STRATEGY], e.attributes[ATTR_ERROR_TYPE]])).toEqual(
      Array.from({ length: 4 }, () => ['exponential', 'Unavailable']),
    );
    expect(await harness.points(METRIC_RETRY_RETRIES)).toEqual([
      expect.objectContaining({ attributes: { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_BACKOFF_STRATEGY]: 'exponential', [ATTR_ERROR_TYPE]: 'Unavailable' }, value: 4 }),
    ]);
  });

  it('waits no less than recorded: 1 ms before a recorded delay the next attempt has not started', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const result = backOff(flaky(1, 'ok'), { startingDelay: 200 });
    await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_DELAY]: 0.2 });
    await vi.advanceTimersByTimeAsync(199);
    expect(attempts(harness)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe('ok');
  });

  it('with delayFirstAttempt, the first attempt carries its wait too (not a retry), and the delays start one power up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const result = backOff(flaky(2, 'ok'), { delayFirstAttempt: true, startingDelay: 50, timeMultiple: 2 });
    await vi.advanceTimersByTimeAsync(50);
    expect(await drive(result, 2, exactly)).toBe('ok');
    expect(delays(harness)).toEqual([0.05, 0.1, 0.2]);
    expect(harness.events(EVENT_RETRY_BACKOFF)).toHaveLength(2);
  });

  it('calls a timeMultiple of 1 constant', async () => {
    expect(await backOff(flaky(2, 'ok'), { startingDelay: 0, timeMultiple: 1 })).toBe('ok');
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => [e.attributes[ATTR_RETRY_BACKOFF_STRATEGY], e.attributes[ATTR_RETRY_DELAY]])).toEqual([
      ['constant', 0],
      ['constant', 0],
    ]);
  });

  it('under full jitter records each retry without a delay: it is drawn at random inside the wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Half of the bound, so that the test knows the waits (100 * 2^n / 2) the library draws.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const result = backOff(flaky(2, 'ok'), { jitter: 'full', startingDelay: 100 });
    const waits = [50, 100];
    expect(await drive(result, 2, () => waits.shift()!)).toBe('ok');
    expect(delays(harness)).toEqual([undefined, undefined, undefined]);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => ATTR_RETRY_DELAY in e.attributes)).toEqual([false, false]);
    expect(await harness.points(METRIC_RETRY_RETRIES)).toEqual([expect.objectContaining({ value: 2 })]);
  });

  it('records an exhausted call: numOfAttempts attempts, the caller gets the last error itself', async () => {
    const failure = await backOff(flaky(9, 'never'), { numOfAttempts: 3, startingDelay: 0 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: 'down 3' });
    const call = callSpan(harness);
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_RETRY_ATTEMPT_COUNT]: 3, [ATTR_RETRY_MAX_ATTEMPTS]: 3, [ATTR_ERROR_TYPE]: 'Unavailable' });
    // No wait after the last attempt.
    expect(harness.events(EVENT_RETRY_BACKOFF)).toHaveLength(2);
  });

  it('normalises numOfAttempts as the library does: below 1 is 1', async () => {
    await expect(backOff(flaky(9, 'never'), { numOfAttempts: 0 })).rejects.toThrow('down 1');
    expect(callSpan(harness).attributes).toMatchObject({ [ATTR_RETRY_MAX_ATTEMPTS]: 1, [ATTR_RETRY_ATTEMPT_COUNT]: 1, [ATTR_RETRY_OUTCOME]: 'exhausted' });
  });

  it('records a retry callback answering false, synchronously or through a promise, as aborted, and asks it with the library’s arguments', async () => {
    const asked: unknown[][] = [];
    for (const answer of [false, Promise.resolve(false)]) {
      const failure = await backOff(flaky(9, 'never'), {
        startingDelay: 0,
        retry: (error: Error, attemptNumber: number) => {
          asked.push([error.message, attemptNumber]);
          return attemptNumber < 2 ? true : answer;
        },
      }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ message: expect.stringMatching(/^down /) });
    }
    expect(asked).toEqual([
      ['down 1', 1],
      ['down 2', 2],
      ['down 1', 1],
      ['down 2', 2],
    ]);
    expect(harness.spans().filter((s) => s.name.startsWith('retry.call')).map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT]])).toEqual([
      ['aborted', 2],
      ['aborted', 2],
    ]);
    expect(harness.events(EVENT_RETRY_BACKOFF)).toHaveLength(2);
  });

  it('records an asynchronous retry callback answering true before the wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const result = backOff(flaky(1, 'ok'), { startingDelay: 100, retry: async () => true });
    expect(await drive(result, 1, exactly)).toBe('ok');
    expect(delays(harness)).toEqual([undefined, 0.1]);
  });

  it('leaves a retry option that is not a function for the library to fail on, and the call unrecorded', async () => {
    await expect(backOff(flaky(1, 'ok'), { retry: 'yes' as never })).rejects.toThrow(TypeError);
    expect(harness.spans()).toEqual([]);
  });

  describe.each<[string, RetryInstrumentationConfig, ((h: Harness) => void) | undefined]>([
    ['a throwing requestHook', { requestHook: () => { throw new Error('hook'); } }, undefined],
    ['a throwing responseHook', { responseHook: () => { throw new Error('hook'); } }, undefined],
    ['a throwing retryName', { retryName: () => { throw new Error('hook'); } }, undefined],
    ['a meter whose instruments throw', {}, (h) => h.instrumentation.setMeterProvider(throwingMeterProvider())],
  ])('with %s', (_title, config, apply) => {
    it('the library makes the same attempts and waits, in the same order, with the same result', async () => {
      await harness.close();
      setup(config);
      apply?.(harness);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const order: string[] = [];
      const thrown = new Unavailable('down');
      const result = backOff(
        () => {
          order.push('attempt');
          return Promise.reject(thrown);
        },
        { numOfAttempts: 3, startingDelay: 100, timeMultiple: 1, retry: (_e: unknown, n: number) => (order.push(`retry? ${n}`), true) },
      );
      result.catch(() => undefined);
      for (let i = 0; i < 2; i++) {
        await vi.advanceTimersByTimeAsync(99);
        order.push('99 ms');
        await vi.advanceTimersByTimeAsync(1);
      }
      await expect(result).rejects.toBe(thrown);
      expect(order).toEqual(['attempt', 'retry? 1', '99 ms', 'attempt', 'retry? 2', '99 ms', 'attempt', 'retry? 3']);
    });
  });
});
