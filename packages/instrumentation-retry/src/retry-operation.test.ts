import { createRequire } from 'node:module';
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
  ATTR_RETRY_OUTCOME,
  BackoffStrategy,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_RETRIES,
} from '@dyntel/semconv';
import type * as Retry from 'retry';
import { InstrumentationHarness } from '@dyntel/test-support';
import { Harness } from '../test/support/harness';
import { waitOut as waitFor } from '../test/support/waits';
import { RetryInstrumentation } from './instrumentation';
import { nameRetry } from './naming';
import { retryOptionsPlan } from './retry-operation';
import type { RetryTelemetry } from './telemetry';
import type { RetryInstrumentationConfig } from './types';
import { Unavailable } from '../test/support/failures';

const require = createRequire(import.meta.url);

/** The instrumentation with its recorder in reach, to stand in for an outer library's adapter. */
class Exposed extends RetryInstrumentation {
  get core(): RetryTelemetry {
    return this.telemetry;
  }
}

let harness: InstrumentationHarness<RetryInstrumentation, RetryInstrumentationConfig>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await harness.close();
});

function calls(): ReadableSpan[] {
  return harness.spans().filter((s) => s.name.startsWith('retry.call'));
}
function attempts(): ReadableSpan[] {
  return harness.spans().filter((s) => s.name.startsWith('retry.attempt'));
}

// The waits of the tests that use the shared helper go through this file's harness.
function waitOut(ran: number[], next: number, delayMillis: number): Promise<void> {
  return waitFor(harness, ran, next, delayMillis);
}

/** The README's callback idiom: a lookup failing `failures` times, reported through retry(err). */
function lookup(retry: typeof Retry, options: Retry.OperationOptions, failures: number, ran: number[]): Promise<[Error | null, number]> {
  const operation = retry.operation(options);
  return new Promise((resolve) => {
    operation.attempt((attempt) => {
      ran.push(attempt);
      process.nextTick(() => {
        harness.tracerProvider.getTracer('user').startSpan('dns').end();
        const error = attempt <= failures ? new Unavailable(`down ${attempt}`) : null;
        if (operation.retry(error ?? undefined)) return;
        resolve([error ? operation.mainError() : null, attempt]);
      });
    });
  });
}

describe('retry used directly', () => {
  it('records the call from attempt() to retry() without an error: attempts until each reported result, the user callback inside, the planned waits', async () => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>('retry');
    const ran: number[] = [];
    const done = lookup(retry, nameRetry({ retries: 3, minTimeout: 100, factor: 2 }, 'lookup'), 2, ran);
    await waitOut(ran, 2, 100);
    await waitOut(ran, 3, 200);
    expect(await done).toEqual([null, 3]);

    const [call] = calls();
    expect(call!.name).toBe('retry.call lookup');
    expect(call!.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'success', [ATTR_RETRY_ATTEMPT_COUNT]: 3, [ATTR_RETRY_MAX_ATTEMPTS]: 4 });
    expect(attempts().map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.attributes[ATTR_RETRY_DELAY], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      [1, undefined, 'Unavailable'],
      [2, 0.1, 'Unavailable'],
      [3, 0.2, undefined],
    ]);
    const attemptIds = attempts().map((s) => s.spanContext().spanId);
    expect(harness.spans().filter((s) => s.name === 'dns').map((s) => attemptIds.indexOf(s.parentSpanContext!.spanId))).toEqual([0, 1, 2]);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => e.attributes[ATTR_RETRY_BACKOFF_STRATEGY])).toEqual([BackoffStrategy.EXPONENTIAL, BackoffStrategy.EXPONENTIAL]);
    expect((await harness.points(METRIC_RETRY_RETRIES)).map((p) => p.value)).toEqual([2]);
  });

  it('records an exhausted call when retry(err) schedules no more attempts', async () => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>('retry');
    const ran: number[] = [];
    const done = lookup(retry, nameRetry({ retries: 1, minTimeout: 10, factor: 1 }, 'lookup'), 5, ran);
    await waitOut(ran, 2, 10);
    const [error] = await done;
    // retry's main error: the most frequent message, the latest on a tie.
    expect(error!.message).toBe('down 2');
    expect(calls()[0]!.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_RETRY_ATTEMPT_COUNT]: 2, [ATTR_ERROR_TYPE]: 'Unavailable' });
    expect(calls()[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(harness.events(EVENT_RETRY_BACKOFF)[0]!.attributes[ATTR_RETRY_BACKOFF_STRATEGY]).toBe(BackoffStrategy.CONSTANT);
  });

  it('records stop() as aborted, and ends no call twice when retry() follows', async () => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>('retry');
    const operation = retry.operation({ retries: 5, minTimeout: 10 });
    const ran: number[] = [];
    operation.attempt((attempt) => {
      ran.push(attempt);
      if (attempt === 1) operation.retry(new Unavailable('down'));
      else {
        operation.stop();
        expect(operation.retry(new Unavailable('fatal'))).toBe(false);
      }
    });
    await waitOut(ran, 2, 10);
    expect(calls().map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_ERROR_TYPE]])).toEqual([['aborted', 2, 'Unavailable']]);
    expect(attempts().map((s) => s.attributes[ATTR_ERROR_TYPE])).toEqual(['Unavailable', undefined]);
  });

  it('ends a call at the promise its attempt returned when the user reports success only by resolving (p-retry 4 style), and a synchronous throw as aborted', async () => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>('retry');
    const operation = retry.operation({ retries: 2, minTimeout: 10 });
    const value = new Promise<number>((resolve) => {
      operation.attempt(async (attempt) => {
        await Promise.resolve();
        if (attempt === 1 && operation.retry(new Unavailable('down'))) return;
        resolve(attempt);
      });
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(await value).toBe(2);
    await harness.recorder.waitForSpan({ name: 'retry.call', attributes: { [ATTR_RETRY_OUTCOME]: 'success', [ATTR_RETRY_ATTEMPT_COUNT]: 2 } });

    const thrown = new Unavailable('sync');
    expect(() => retry.operation().attempt(() => {
      throw thrown;
    })).toThrow(thrown);
    expect(calls()[1]!.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'aborted', [ATTR_ERROR_TYPE]: 'Unavailable' });
  });

  it('ends a call left open (success never reported) as a success when attempt() is called again on its operation', () => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>('retry');
    const operation = retry.operation({ retries: 1 });
    operation.attempt(() => {});
    expect(calls()).toEqual([]);
    operation.attempt(() => {});
    expect(calls().map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT]])).toEqual([['success', 1]]);
  });

  it.each([
    // 0.13 waits the last timeout for ever; 0.12 goes round the timeouts again.
    ['retry', [10, 20, 20, 20]],
    ['promise-retry/node_modules/retry', [10, 20, 10, 20]],
  ])('%s forever: the delays the library waits, no max_attempts', async (pkg, delays) => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>(pkg);
    const ran: number[] = [];
    const done = lookup(retry, { forever: true, retries: 2, minTimeout: 10, factor: 2 }, delays.length, ran);
    for (const [index, delay] of delays.entries()) await waitOut(ran, index + 2, delay);
    expect(await done).toEqual([null, delays.length + 1]);
    expect(calls()[0]!.attributes[ATTR_RETRY_MAX_ATTEMPTS]).toBeUndefined();
    expect(calls()[0]!.attributes[ATTR_RETRY_ATTEMPT_COUNT]).toBe(delays.length + 1);
  });

  it('keeps the unref option: waits do not hold the process', async () => {
    harness = new Harness();
    const retry = harness.require<typeof Retry>('retry');
    const unref = vi.fn();
    const timer = vi.spyOn(globalThis, 'setTimeout').mockImplementation(() => ({ unref }) as unknown as NodeJS.Timeout);
    const operation = retry.operation({ retries: 1, unref: true });
    operation.attempt(() => operation.retry(new Unavailable('down')));
    timer.mockRestore();
    expect(unref).toHaveBeenCalledTimes(1);
  });

  it('is CommonJS imported from ESM too: the default export is what is patched', async () => {
    harness = new Harness();
    const namespace = await harness.import<{ default: typeof Retry }>('retry');
    const ran: number[] = [];
    const done = lookup(namespace.default, nameRetry({ retries: 1, minTimeout: 5 }, 'esm'), 1, ran);
    await waitOut(ran, 2, 5);
    await done;
    expect(calls().map((s) => s.name)).toEqual(['retry.call esm']);
  });
});

describe('retryOptionsPlan', () => {
  it.each([[undefined], [{}], [{ retries: 0 }], [{ retries: 3 }], [{ retries: undefined }], [{ retries: 2.5 }], [{ retries: '2' }], [[1, 2, 3]]])(
    'counts the attempts retry plans for %j',
    (options) => {
      const retry = require('retry') as typeof Retry;
      expect(retryOptionsPlan(options).maxAttempts).toBe(retry.timeouts(options as Retry.TimeoutsOptions).length + 1);
    },
  );

  it('knows unbounded calls and the strategy', () => {
    expect(retryOptionsPlan({ forever: true })).toEqual({ maxAttempts: undefined, strategy: BackoffStrategy.EXPONENTIAL });
    expect(retryOptionsPlan({ retries: Infinity, factor: 1 })).toEqual({ maxAttempts: undefined, strategy: BackoffStrategy.CONSTANT });
    expect(retryOptionsPlan([5, 10]).strategy).toBe(BackoffStrategy.ITERABLE);
    expect(retryOptionsPlan({ factor: 0.5 }).strategy).toBeUndefined();
  });
});

describe('retry under an outer library call (p-retry 4 and 6 build retry operations)', () => {
  it.each([
    ['p-retry-v4', 'require'],
    ['p-retry-v6', 'import'],
  ] as const)('%s: only the waits are reported, to the outer call, before each wait', async (pkg, via) => {
    const exposed = new InstrumentationHarness((config: RetryInstrumentationConfig) => new Exposed(config));
    harness = exposed;
    const core = exposed.instrumentation.core;
    harness.require('retry');
    // The outer library itself is not instrumented here: this test stands in for its adapter.
    const loaded = via === 'require' ? (require(pkg) as unknown) : ((await import(pkg)) as { default: unknown }).default;
    const pRetry = loaded as (fn: (n: number) => Promise<string>, options: object) => Promise<string>;
    const ran: number[] = [];
    const input = async (attempt: number) => {
      ran.push(attempt);
      if (attempt < 3) throw new Unavailable(`down ${attempt}`);
      return 'ok';
    };
    const options = { retries: 3, minTimeout: 50, factor: 3 };
    const call = core.startCall('p-retry', input, options, retryOptionsPlan(options))!;
    const attempt = (n: number) => core.attempt(call, input, undefined, [n]) as Promise<string>;
    const result = core.asOuterCall(call, () => core.runCall(call, pRetry, undefined, [attempt, options])) as Promise<string>;
    await waitOut(ran, 2, 50);
    await waitOut(ran, 3, 150);
    expect(await result).toBe('ok');
    core.endCall(call, 'success', undefined, false);
    // One call (the outer one) and its attempts: none of the lower layer's own.
    expect(harness.spans().map((s) => s.name)).toEqual(['retry.attempt input', 'retry.attempt input', 'retry.attempt input', 'retry.call input']);
    expect(attempts().map((s) => s.attributes[ATTR_RETRY_DELAY])).toEqual([undefined, 0.05, 0.15]);
    expect((await harness.points(METRIC_RETRY_RETRIES)).map((p) => p.value)).toEqual([2]);
  });
});
