import { afterEach, describe, expect, it } from 'vitest';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InstrumentationHarness } from '@dyntel/test-support';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_BACKOFF_STRATEGY,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_MAX_ATTEMPTS,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  BackoffStrategy,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_ATTEMPT_DURATION,
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_CALL_DURATION,
  METRIC_RETRY_RETRIES,
  RetryOutcome,
} from '@dyntel/semconv';
import { RetryInstrumentation } from './instrumentation';
import { nameRetry } from './naming';
import type { RetryTelemetry } from './telemetry';
import type { RetryInstrumentationConfig } from './types';
import { flaky, Unavailable } from '../test/support/failures';

/** The instrumentation with its recorder in reach: these tests drive it as a library adapter does. */
class Exposed extends RetryInstrumentation {
  get core(): RetryTelemetry {
    return this.telemetry;
  }
}

let harness: InstrumentationHarness<Exposed, RetryInstrumentationConfig>;
function setup(config: RetryInstrumentationConfig = {}): RetryTelemetry {
  harness = new InstrumentationHarness((c: RetryInstrumentationConfig) => new Exposed(c), config);
  return harness.instrumentation.core;
}
afterEach(() => harness?.close());

/**
 * A retry loop as a library runs one: attempts of `fn` until one succeeds or `maxAttempts`
 * failed, a backoff of `delayMillis * attempt` reported before each retry, no real waiting.
 */
async function retried<T>(core: RetryTelemetry, fn: (attempt: number) => Promise<T>, options: object = {}, maxAttempts = 3, delayMillis = 100): Promise<T> {
  const call = core.startCall('p-retry', fn, options, { maxAttempts, strategy: BackoffStrategy.EXPONENTIAL })!;
  const loop = async (): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await core.attempt(call, fn, undefined, [attempt])) as T;
      } catch (error) {
        if (attempt === maxAttempts) throw error;
        core.backoff(call, delayMillis * attempt, error);
      }
    }
  };
  try {
    const value = (await core.runCall(call, loop, undefined, [])) as T;
    core.endCall(call, RetryOutcome.SUCCESS, undefined, false);
    return value;
  } catch (error) {
    core.endCall(call, RetryOutcome.EXHAUSTED, error, true);
    throw error;
  }
}

describe('RetryTelemetry', () => {
  it('records a call that succeeds at once: one call span, one attempt child with the user span inside', async () => {
    const core = setup();
    const tracer = harness.tracerProvider.getTracer('user');
    const value = await retried(core, async () => {
      tracer.startSpan('user work').end();
      return 42;
    }, nameRetry({}, 'inventory'));
    expect(value).toBe(42);

    const [call] = harness.spans().filter((s) => s.name === 'retry.call inventory');
    const attempts = harness.spans().filter((s) => s.name === 'retry.attempt inventory');
    const user = harness.spans().find((s) => s.name === 'user work')!;
    expect(call!.attributes).toEqual({
      [ATTR_RETRY_NAME]: 'inventory',
      [ATTR_RETRY_MAX_ATTEMPTS]: 3,
      [ATTR_RETRY_OUTCOME]: RetryOutcome.SUCCESS,
      [ATTR_RETRY_ATTEMPT_COUNT]: 1,
    });
    expect(call!.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.attributes).toEqual({ [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_ATTEMPT]: 1 });
    expect(attempts[0]!.parentSpanContext?.spanId).toBe(call!.spanContext().spanId);
    expect(user.parentSpanContext?.spanId).toBe(attempts[0]!.spanContext().spanId);

    expect(await harness.points(METRIC_RETRY_ATTEMPTS)).toEqual([
      expect.objectContaining({ attributes: { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_OUTCOME]: RetryOutcome.SUCCESS }, value: 1, sum: 1 }),
    ]);
    expect(await harness.points(METRIC_RETRY_RETRIES)).toEqual([]);
  });

  it('records retries: failed attempts with their error, a backoff event and a counted retry per wait, the delay on the next attempt', async () => {
    const core = setup();
    expect(await retried(core, flaky(2, 'ok'))).toBe('ok');

    const attempts = harness.spans().filter((s) => s.name === 'retry.attempt fetchInventory');
    expect(attempts.map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.attributes[ATTR_RETRY_DELAY], s.attributes[ATTR_ERROR_TYPE], s.status.code])).toEqual([
      [1, undefined, 'Unavailable', SpanStatusCode.ERROR],
      [2, 0.1, 'Unavailable', SpanStatusCode.ERROR],
      [3, 0.2, undefined, SpanStatusCode.UNSET],
    ]);
    const call = harness.spans().find((s) => s.name === 'retry.call fetchInventory')!;
    expect(call.attributes[ATTR_RETRY_ATTEMPT_COUNT]).toBe(3);
    // The backoff is a span event on the call and a log record.
    expect(call.events.map((e) => [e.name, e.attributes?.[ATTR_RETRY_ATTEMPT], e.attributes?.[ATTR_RETRY_DELAY]])).toEqual([
      [EVENT_RETRY_BACKOFF, 2, 0.1],
      [EVENT_RETRY_BACKOFF, 3, 0.2],
    ]);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => e.attributes)).toEqual([
      { [ATTR_RETRY_NAME]: 'fetchInventory', [ATTR_RETRY_ATTEMPT]: 2, [ATTR_RETRY_DELAY]: 0.1, [ATTR_RETRY_BACKOFF_STRATEGY]: 'exponential', [ATTR_ERROR_TYPE]: 'Unavailable' },
      { [ATTR_RETRY_NAME]: 'fetchInventory', [ATTR_RETRY_ATTEMPT]: 3, [ATTR_RETRY_DELAY]: 0.2, [ATTR_RETRY_BACKOFF_STRATEGY]: 'exponential', [ATTR_ERROR_TYPE]: 'Unavailable' },
    ]);
    expect(await harness.points(METRIC_RETRY_RETRIES)).toEqual([
      expect.objectContaining({
        attributes: { [ATTR_RETRY_NAME]: 'fetchInventory', [ATTR_RETRY_BACKOFF_STRATEGY]: 'exponential', [ATTR_ERROR_TYPE]: 'Unavailable' },
        value: 2,
      }),
    ]);
    const attemptDurations = await harness.points(METRIC_RETRY_ATTEMPT_DURATION);
    expect(attemptDurations.map((p) => [p.attributes, p.value])).toEqual(
      expect.arrayContaining([
        [{ [ATTR_RETRY_NAME]: 'fetchInventory' }, 1],
        [{ [ATTR_RETRY_NAME]: 'fetchInventory', [ATTR_ERROR_TYPE]: 'Unavailable' }, 2],
      ]),
    );
  });

  it('records a retry whose delay is not known without a delay, on the event and the next attempt', async () => {
    const core = setup();
    const call = core.startCall('p-retry', undefined, undefined, {})!;
    const failure = new Unavailable('down');
    await expect(core.runCall(call, async () => {
      await (core.attempt(call, async () => Promise.reject(failure), undefined, []) as Promise<unknown>).catch(() => undefined);
      core.backoff(call, undefined, failure);
      return core.attempt(call, async () => 'ok', undefined, []);
    }, undefined, [])).resolves.toBe('ok');
    core.endCall(call, RetryOutcome.SUCCESS, undefined, false);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => [e.attributes[ATTR_RETRY_ATTEMPT], ATTR_RETRY_DELAY in e.attributes])).toEqual([[2, false]]);
    const attempts = harness.spans().filter((s) => s.name === 'retry.attempt');
    expect(attempts.map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], ATTR_RETRY_DELAY in s.attributes])).toEqual([[1, false], [2, false]]);
    expect((await harness.points(METRIC_RETRY_RETRIES)).map((p) => p.value)).toEqual([1]);
  });

  it('records an exhausted call with status ERROR and the error type, on every metric', async () => {
    const core = setup();
    const failure = retried(core, flaky(5, 'never'));
    await expect(failure).rejects.toThrow('down 3');

    const call = harness.spans().find((s) => s.name === 'retry.call fetchInventory')!;
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_ERROR_TYPE]: 'Unavailable', [ATTR_RETRY_ATTEMPT_COUNT]: 3 });
    expect(await harness.points(METRIC_RETRY_CALL_DURATION)).toEqual([
      expect.objectContaining({ attributes: { [ATTR_RETRY_NAME]: 'fetchInventory', [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_ERROR_TYPE]: 'Unavailable' }, value: 1 }),
    ]);
    expect(await harness.points(METRIC_RETRY_ATTEMPTS)).toEqual([
      expect.objectContaining({ attributes: { [ATTR_RETRY_NAME]: 'fetchInventory', [ATTR_RETRY_OUTCOME]: 'exhausted' }, sum: 3 }),
    ]);
  });

  it('ends a call once, however often its library reports the end', async () => {
    const core = setup();
    const call = core.startCall('retry', undefined, undefined, {})!;
    core.endCall(call, RetryOutcome.SUCCESS, undefined, false);
    core.endCall(call, RetryOutcome.EXHAUSTED, new Unavailable(), true);
    expect(harness.spans().map((s) => [s.name, s.attributes[ATTR_RETRY_OUTCOME]])).toEqual([['retry.call', 'success']]);
    expect((await harness.points(METRIC_RETRY_CALL_DURATION)).map((p) => p.value)).toEqual([1]);
  });

  it('returns what the attempt returned, untouched: values, synchronous throws', () => {
    const core = setup();
    const call = core.startCall('retry', undefined, undefined, {})!;
    const self = {};
    expect(core.attempt(call, function (this: unknown, a: number, b: number) {
      return [this, a + b];
    }, self, [1, 2])).toEqual([self, 3]);
    const thrown = new Unavailable('sync');
    expect(() => core.attempt(call, () => {
      throw thrown;
    }, undefined, [])).toThrow(thrown);
    expect(harness.spans().map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      [1, undefined],
      [2, 'Unavailable'],
    ]);
  });

  it("ends an attempt that returned a thenable (not a promise) when the library's await sees it settle, calling its then only once", async () => {
    const core = setup();
    const call = core.startCall('retry', undefined, undefined, {})!;
    let thens = 0;
    const failure = new Unavailable('query failed');
    // A query builder: its work starts when `then` is called.
    const query = { then: (_ok: unknown, onRejected: (error: unknown) => unknown) => (thens++, Promise.reject(failure).then(undefined, onRejected)) };
    const returned = core.attempt(call, () => query, undefined, []) as PromiseLike<unknown>;
    expect(thens).toBe(0);
    expect(harness.spans()).toEqual([]);
    await expect((async () => await returned)()).rejects.toBe(failure);
    expect(thens).toBe(1);
    expect(harness.spans().map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.attributes[ATTR_ERROR_TYPE]])).toEqual([[1, 'Unavailable']]);
  });

  it('records an attempt whose end the adapter reports later: begun, run in its context, ended with the error the adapter chose', () => {
    const core = setup();
    const call = core.startCall('retry', undefined, undefined, {})!;
    const first = core.beginAttempt(call)!;
    const self = {};
    const body = function (this: unknown, n: number) {
      harness.tracerProvider.getTracer('user').startSpan('lookup').end();
      return [this, n];
    };
    expect(core.runAttempt(first, body, self, [1])).toEqual([self, 1]);
    // Nothing ended with the function: the attempt lasts until the adapter says.
    expect(harness.spans().map((s) => s.name)).toEqual(['lookup']);
    const cause = new Unavailable('down');
    core.endAttempt(call, first, true, cause);
    expect(call.lastError).toBe(cause);
    const second = core.beginAttempt(call)!;
    expect(() => core.runAttempt(second, () => {
      throw cause;
    }, undefined, [])).toThrow(cause);
    core.endAttempt(call, second, false, cause);
    const [lookup, one, two] = harness.spans();
    expect(lookup!.parentSpanContext?.spanId).toBe(one!.spanContext().spanId);
    expect([one, two].map((s) => [s!.attributes[ATTR_RETRY_ATTEMPT], s!.attributes[ATTR_ERROR_TYPE], s!.status.code])).toEqual([
      [1, 'Unavailable', SpanStatusCode.ERROR],
      [2, undefined, SpanStatusCode.UNSET],
    ]);
  });

  it('names a retry: nameRetry on the options, then on the function, then the option, then the function name; generated names dropped', async () => {
    const seen: unknown[] = [];
    const core = setup({
      retryName: (info) => {
        seen.push(info.functionName);
        return info.functionName === 'fromConfig' ? 'configured' : undefined;
      },
    });
    const fn = nameRetry(async () => 1, 'on-function');
    await retried(core, fn, nameRetry({}, 'on-options'));
    await retried(core, fn);
    await retried(core, async function fromConfig() {
      return 1;
    });
    await retried(core, async function fetchPrices() {
      return 1;
    });
    await retried(core, async () => 1);
    await retried(core, async () => 1, nameRetry({}, '5f1c1e6a-7f3e-4c5b-9e7a-2d9c1b8a6f00'));
    expect(harness.spans().filter((s) => s.name.startsWith('retry.call')).map((s) => [s.name, s.attributes[ATTR_RETRY_NAME]])).toEqual([
      ['retry.call on-options', 'on-options'],
      ['retry.call on-function', 'on-function'],
      ['retry.call configured', 'configured'],
      ['retry.call fetchPrices', 'fetchPrices'],
      ['retry.call', undefined],
      ['retry.call', undefined],
    ]);
    // The option is asked only when no name was given.
    expect(seen).toEqual(['fromConfig', 'fetchPrices', undefined]);
  });

  it('survives a throwing retryName option: the call is recorded under the function name', async () => {
    const core = setup({
      retryName: () => {
        throw new Error('naming bug');
      },
    });
    expect(await retried(core, async function fetchStock() {
      return 7;
    })).toBe(7);
    expect(harness.spans().find((s) => s.name.startsWith('retry.call'))!.name).toBe('retry.call fetchStock');
  });

  it('starts call spans under the active span, and only there with requireParentSpan', async () => {
    const core = setup({ requireParentSpan: true });
    await retried(core, async () => 1);
    expect(harness.spans()).toEqual([]);
    const parent = harness.tracerProvider.getTracer('user').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), () => retried(core, async () => 1));
    parent.end();
    const call = harness.spans().find((s) => s.name === 'retry.call')!;
    expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    // Metrics do not depend on spans.
    expect((await harness.points(METRIC_RETRY_CALL_DURATION)).map((p) => p.value)).toEqual([2]);
  });
});

describe('RetryTelemetry.asOuterCall', () => {
  it('tells a lower layer which call it is set up for, only while the entry point runs, nested calls restored', () => {
    const core = setup();
    const outer = core.startCall('p-retry', undefined, undefined, {})!;
    const inner = core.startCall('async-retry', undefined, undefined, {})!;
    const seen: unknown[] = [];
    expect(core.outerCall()).toBeUndefined();
    const value = core.asOuterCall(outer, () => {
      seen.push(core.outerCall());
      core.asOuterCall(inner, () => seen.push(core.outerCall()));
      seen.push(core.outerCall());
      return 'entry result';
    });
    expect(value).toBe('entry result');
    expect(() => core.asOuterCall(outer, () => {
      throw new Unavailable('setup failed');
    })).toThrow('setup failed');
    expect(seen).toEqual([outer, inner, outer]);
    expect(core.outerCall()).toBeUndefined();
  });
});
