import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
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
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_RETRIES,
} from '@dyntel/semconv';
import { nameRetry } from '../src/naming';
import { P_RETRY_PACKAGES } from './support/harness';
import { PRetryHarness, type PRetryModule } from './support/p-retry';
import { flaky, Unavailable } from './support/failures';

// Every p-retry major in process, patched as the hooks patch it. Waits run under fake timers:
// each test waits for the backoff event (recorded before the wait), then advances the clock.

const OWN_LOOP = new Set(['p-retry-v7', 'p-retry-v8', 'p-retry']);
const CANCELLABLE = P_RETRY_PACKAGES.filter((pkg) => pkg !== 'p-retry-v4');

let harness: PRetryHarness;
let pRetry: PRetryModule;
async function load(pkg: string, retryLayer = true): Promise<void> {
  await harness?.close();
  harness = new PRetryHarness();
  // 4-6 wait in a retry operation: retry is patched too, as the hooks patch it.
  if (retryLayer) harness.require('retry');
  pRetry = await harness.pRetry(pkg);
}
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await harness?.close();
});

function calls(): ReadableSpan[] {
  return harness.spans().filter((s) => s.name.startsWith('retry.call'));
}
function attempts(): ReadableSpan[] {
  return harness.spans().filter((s) => s.name.startsWith('retry.attempt'));
}
function callSummary(): unknown[] {
  return calls().map((s) => [s.name, s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_RETRY_MAX_ATTEMPTS], s.attributes[ATTR_ERROR_TYPE]]);
}

/** Lets each planned wait pass once its backoff event is recorded: `delays` in ms, one per retry. */
async function letWaitsPass(delays: number[]): Promise<void> {
  for (const [index, delay] of delays.entries()) {
    await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_ATTEMPT]: index + 2 });
    await vi.advanceTimersByTimeAsync(delay);
  }
}

describe.each(P_RETRY_PACKAGES)('%s', (pkg) => {
  beforeEach(() => load(pkg));

  it('success at once: one call, one attempt, the caller gets the value', async () => {
    await expect(pRetry.default(flaky(0, 'ok'), { retries: 2 })).resolves.toBe('ok');
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'success', 1, 3, undefined]]);
    expect(attempts().map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.parentSpanContext?.spanId])).toEqual([[1, calls()[0]!.spanContext().spanId]]);
  });

  it('success after retries: the backoff before each wait with the delay the library waits, then on the next attempt', async () => {
    const result = pRetry.default(flaky(2, 'ok'), { retries: 3, minTimeout: 100, factor: 2 });
    await letWaitsPass([100, 200]);
    await expect(result).resolves.toBe('ok');
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'success', 3, 4, undefined]]);
    expect(attempts().map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.attributes[ATTR_RETRY_DELAY], s.attributes[ATTR_ERROR_TYPE], s.status.code])).toEqual([
      [1, undefined, 'Unavailable', SpanStatusCode.ERROR],
      [2, 0.1, 'Unavailable', SpanStatusCode.ERROR],
      [3, 0.2, undefined, SpanStatusCode.UNSET],
    ]);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => [e.attributes[ATTR_RETRY_DELAY], e.attributes[ATTR_RETRY_BACKOFF_STRATEGY]])).toEqual([
      [0.1, 'exponential'],
      [0.2, 'exponential'],
    ]);
    expect((await harness.points(METRIC_RETRY_RETRIES)).map((p) => p.value)).toEqual([2]);
  });

  it('exhausted: every allowed attempt failed; the caller gets the last error, the same object', async () => {
    const failure = new Unavailable('down');
    const result = pRetry.default(nameRetry(async () => Promise.reject(failure), 'inventory'), { retries: 1, minTimeout: 5, factor: 1 });
    const settled = result.catch((error: unknown) => error);
    await letWaitsPass([5]);
    expect(await settled).toBe(failure);
    expect(callSummary()).toEqual([['retry.call inventory', 'exhausted', 2, 2, 'Unavailable']]);
    expect(calls()[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => e.attributes[ATTR_RETRY_BACKOFF_STRATEGY])).toEqual(['constant']);
    expect((await harness.points(METRIC_RETRY_ATTEMPTS)).map((p) => [p.attributes[ATTR_RETRY_OUTCOME], p.attributes[ATTR_RETRY_NAME], p.sum])).toEqual([['exhausted', 'inventory', 2]]);
  });

  it('aborted by an AbortError: the caller gets the error it wraps, no retry', async () => {
    const cause = new Unavailable('gone for good');
    await expect(pRetry.default(async function fetchInventory() {
      throw new pRetry.AbortError(cause);
    }, { retries: 3 })).rejects.toBe(cause);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'aborted', 1, 4, 'Unavailable']]);
  });

  it('aborted by a TypeError that is not a network error: never retried', async () => {
    const bug = new TypeError('x is not a function');
    await expect(pRetry.default(async function fetchInventory() {
      throw bug;
    }, { retries: 3 })).rejects.toBe(bug);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'aborted', 1, 4, 'TypeError']]);
  });

  it('aborted by a throwing onFailedAttempt: the caller gets its error, the callback is told what p-retry tells it', async () => {
    const seen: unknown[] = [];
    const refusal = new Error('stop here');
    const self = {};
    await expect(pRetry.default(flaky(5, 'never'), {
      retries: 3,
      onFailedAttempt(this: unknown, info: unknown) {
        seen.push(info, this === self);
        throw refusal;
      },
    })).rejects.toBe(refusal);
    const info = seen[0] as { attemptNumber?: number; error?: unknown };
    expect(OWN_LOOP.has(pkg) ? info.error : info).toBeInstanceOf(Unavailable);
    expect(info.attemptNumber).toBe(1);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'aborted', 1, 4, 'Error']]);
  });

  it('keeps a getter on the options to one read per call, as without the instrumentation', async () => {
    let reads = 0;
    const options = {
      get retries() {
        reads += 1;
        return 0;
      },
    };
    await expect(pRetry.default(flaky(0, 'ok'), options)).resolves.toBe('ok');
    expect(reads).toBe(1);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'success', 1, 1, undefined]]);
  });

  it('randomized delays: recorded as the library draws them, and absent where it draws them after the last callback (7)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const result = pRetry.default(flaky(1, 'ok'), { retries: 2, minTimeout: 100, randomize: true });
    await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_ATTEMPT]: 2 });
    await vi.advanceTimersByTimeAsync(149);
    expect(attempts()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    const delays = attempts().map((s) => s.attributes[ATTR_RETRY_DELAY]);
    expect(delays).toEqual(pkg === 'p-retry-v7' ? [undefined, undefined] : [undefined, 0.15]);
    vi.restoreAllMocks();
  });

  it('passes calls through untouched once disabled', async () => {
    // Only p-retry is patched here: disabling through the hooks would unpatch retry as well.
    await load(pkg, false);
    harness.instrumentation.disable();
    await expect(pRetry.default(flaky(0, 'ok'))).resolves.toBe('ok');
    expect(harness.spans()).toEqual([]);
  });
});

describe.each(['p-retry-v4', 'p-retry-v5', 'p-retry-v6'])('%s retry options', (pkg) => {
  beforeEach(() => load(pkg));

  it('forever: no max_attempts; the retry operation reports each wait', async () => {
    const result = pRetry.default(flaky(2, 'ok'), { forever: true, retries: 1, minTimeout: 10, factor: 1 });
    await letWaitsPass([10, 10]);
    await expect(result).resolves.toBe('ok');
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'success', 3, undefined, undefined]]);
    // One call: the retry operation p-retry builds records none of its own.
    expect(harness.spans().map((s) => s.name)).toEqual(['retry.attempt fetchInventory', 'retry.attempt fetchInventory', 'retry.attempt fetchInventory', 'retry.call fetchInventory']);
  });
});

describe.each(CANCELLABLE)('%s with a signal', (pkg) => {
  beforeEach(() => load(pkg));

  it('cancelled during a wait: the caller gets the reason, no further attempt', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const result = pRetry.default(flaky(5, 'never'), { retries: 5, minTimeout: 1000, signal: controller.signal }).catch((error: unknown) => error);
    await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_ATTEMPT]: 2 });
    controller.abort(reason);
    expect(await result).toBe(reason);
    await vi.advanceTimersByTimeAsync(5000);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'cancelled', 1, 6, 'Error']]);
  });
});

describe.each(['p-retry-v6', 'p-retry-v7', 'p-retry-v8', 'p-retry'])('%s shouldRetry', (pkg) => {
  beforeEach(() => load(pkg));

  it('aborted when shouldRetry answers false; its answer reaches p-retry as it is', async () => {
    const failure = new Unavailable('down');
    await expect(pRetry.default(async function fetchInventory() {
      throw failure;
    }, { retries: 3, shouldRetry: async () => false })).rejects.toBe(failure);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'aborted', 1, 4, 'Unavailable']]);
  });
});

describe.each([...OWN_LOOP])('%s own loop', (pkg) => {
  beforeEach(() => load(pkg));

  it('shouldConsumeRetry false: another attempt without a wait and without using a retry', async () => {
    let consumed = 0;
    const result = pRetry.default(flaky(2, 'ok'), { retries: 1, minTimeout: 100, shouldConsumeRetry: () => consumed++ > 0 });
    await letWaitsPass([0, 100]);
    await expect(result).resolves.toBe('ok');
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'success', 3, 2, undefined]]);
    expect(attempts().map((s) => s.attributes[ATTR_RETRY_DELAY])).toEqual([undefined, 0, 0.1]);
  });

  it('exhausted when maxRetryTime is used up, before the retries are', async () => {
    const failure = new Unavailable('slow');
    await expect(pRetry.default(async function fetchInventory() {
      throw failure;
    }, { retries: 5, maxRetryTime: 0 })).rejects.toBe(failure);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'exhausted', 1, 6, 'Unavailable']]);
    expect(harness.events(EVENT_RETRY_BACKOFF)).toEqual([]);
  });

  it('maxRetryTime cuts the last wait to the time left, then ends the call exhausted', async () => {
    // p-retry reads the time left from performance.now(): faked too, so both clocks agree.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    await load(pkg);
    const result = pRetry.default(flaky(9, 'never'), { retries: 5, minTimeout: 1000, maxRetryTime: 1500 }).catch((error: unknown) => error);
    await letWaitsPass([1000, 500]);
    expect(await result).toBeInstanceOf(Unavailable);
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'exhausted', 3, 6, 'Unavailable']]);
    expect(attempts().map((s) => s.attributes[ATTR_RETRY_DELAY])).toEqual([undefined, 1, 0.5]);
  });

  it('makeRetriable: each call of the function it returns is a call named after the function, with its this and arguments', async () => {
    const self = { stock: 7 };
    const retriable = pRetry.makeRetriable!(async function lookupStock(this: typeof self, sku: string) {
      return `${sku}:${this.stock}`;
    }, { retries: 1 });
    await expect(retriable.call(self, 'a')).resolves.toBe('a:7');
    await expect(retriable.call(self, 'b')).resolves.toBe('b:7');
    expect(callSummary()).toEqual([
      ['retry.call lookupStock', 'success', 1, 2, undefined],
      ['retry.call lookupStock', 'success', 1, 2, undefined],
    ]);
  });

  it('no minimum timeout: constant, every wait 0', async () => {
    const result = pRetry.default(flaky(1, 'ok'), { retries: 2, minTimeout: 0 });
    await letWaitsPass([0]);
    await expect(result).resolves.toBe('ok');
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => [e.attributes[ATTR_RETRY_DELAY], e.attributes[ATTR_RETRY_BACKOFF_STRATEGY]])).toEqual([[0, 'constant']]);
  });

  it('unbounded with retries: Infinity: no max_attempts', async () => {
    await expect(pRetry.default(flaky(0, 'ok'), { retries: Infinity })).resolves.toBe('ok');
    expect(callSummary()).toEqual([['retry.call fetchInventory', 'success', 1, undefined, undefined]]);
  });
});
