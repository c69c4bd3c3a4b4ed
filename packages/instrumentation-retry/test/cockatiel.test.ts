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
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_RETRIES,
  OTHER_VALUE,
} from '@dyntel/semconv';
import type * as Cockatiel from 'cockatiel';
import { nameRetry } from '../src/naming';
import type { RetryInstrumentationConfig } from '../src/types';
import { Harness } from './support/harness';
import { flaky, Unavailable } from './support/failures';

type Library = typeof Cockatiel;
type Policy = ReturnType<Library['retry']>;

// cockatiel 3 through require (it is CJS), 4 through import (ESM only).
const LOADERS: [string, (harness: Harness) => Promise<Library>][] = [
  ['cockatiel-v3', async (harness) => harness.require<Library>('cockatiel-v3')],
  ['cockatiel', (harness) => harness.import<Library>('cockatiel')],
];

const attemptsOf = (harness: Harness, name: string): ReadableSpan[] => harness.spans().filter((s) => s.name === `retry.attempt ${name}`);
const callOf = (harness: Harness, name: string): ReadableSpan => harness.spans().find((s) => s.name === `retry.call ${name}`)!;

/**
 * Runs `result` to its end under fake timers: waits for each backoff event of the call named
 * `name` (attempts 2 to `attempts`), checks the wait is pending and not yet elapsed, then
 * advances the clock by the delay it announced.
 */
async function drive<T>(harness: Harness, name: string, result: Promise<T>, attempts: number): Promise<T> {
  for (let next = 2; next <= attempts; next++) {
    const event = await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_NAME]: name, [ATTR_RETRY_ATTEMPT]: next });
    const millis = Math.ceil(Number(event.attributes[ATTR_RETRY_DELAY] ?? 0) * 1000);
    if (millis > 0) {
      // The event came before the wait: the timer is pending and the next attempt has not started.
      expect(attemptsOf(harness, name), name).toHaveLength(next - 1);
      expect(vi.getTimerCount(), name).toBeGreaterThan(0);
    }
    // Node runs a 0 ms timer after 1 ms, and so do the fake timers.
    await vi.advanceTimersByTimeAsync(Math.max(1, millis));
  }
  return result;
}

describe.each(LOADERS)('%s retry policies', (_pkg, load) => {
  let harness: Harness;
  let c: Library;
  async function setup(config: RetryInstrumentationConfig = {}): Promise<void> {
    harness = new Harness(config);
    c = await load(harness);
  }
  beforeEach(() => setup());
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  it('records a call that succeeds at once: max_attempts is maxAttempts + 1, the user span inside the attempt', async () => {
    const policy = nameRetry(c.retry(c.handleAll, { maxAttempts: 3 }), 'inventory');
    const tracer = harness.tracerProvider.getTracer('user');
    const seen: unknown[] = [];
    const value = await policy.execute((context) => {
      seen.push(context.attempt);
      tracer.startSpan('user work').end();
      return 'in stock';
    });
    expect(value).toBe('in stock');
    // cockatiel hands the function its context: attempt counted from 0.
    expect(seen).toEqual([0]);
    const call = callOf(harness, 'inventory');
    expect(call.attributes).toEqual({
      [ATTR_RETRY_NAME]: 'inventory',
      [ATTR_RETRY_MAX_ATTEMPTS]: 4,
      [ATTR_RETRY_OUTCOME]: 'success',
      [ATTR_RETRY_ATTEMPT_COUNT]: 1,
    });
    const [attempt] = attemptsOf(harness, 'inventory');
    expect(attempt!.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(harness.spans().find((s) => s.name === 'user work')!.parentSpanContext?.spanId).toBe(attempt!.spanContext().spanId);
  });

  it('records retries with the delays cockatiel planned, each before its wait, as onRetry reports them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const policy = nameRetry(c.retry(c.handleAll, { maxAttempts: 3, backoff: new c.ConstantBackoff(250) }), 'inventory');
    const reported: unknown[] = [];
    policy.onRetry((event) => reported.push(event.delay));
    expect(await drive(harness, 'inventory', policy.execute(flaky(2, 'ok')), 3)).toBe('ok');
    expect(reported).toEqual([250, 250]);
    expect(attemptsOf(harness, 'inventory').map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], s.attributes[ATTR_RETRY_DELAY], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      [1, undefined, 'Unavailable'],
      [2, 0.25, 'Unavailable'],
      [3, 0.25, undefined],
    ]);
    expect(callOf(harness, 'inventory').attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'success', [ATTR_RETRY_ATTEMPT_COUNT]: 3 });
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => e.attributes)).toEqual([
      { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_ATTEMPT]: 2, [ATTR_RETRY_DELAY]: 0.25, [ATTR_RETRY_BACKOFF_STRATEGY]: 'constant', [ATTR_ERROR_TYPE]: 'Unavailable' },
      { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_ATTEMPT]: 3, [ATTR_RETRY_DELAY]: 0.25, [ATTR_RETRY_BACKOFF_STRATEGY]: 'constant', [ATTR_ERROR_TYPE]: 'Unavailable' },
    ]);
    expect(await harness.points(METRIC_RETRY_RETRIES)).toEqual([
      expect.objectContaining({ attributes: { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_BACKOFF_STRATEGY]: 'constant', [ATTR_ERROR_TYPE]: 'Unavailable' }, value: 2 }),
    ]);
  });

  it('records an exhausted call: every allowed attempt failed, the caller gets the last error itself', async () => {
    const policy = nameRetry(c.retry(c.handleAll, { maxAttempts: 2 }), 'inventory');
    const gaveUp: unknown[] = [];
    policy.onGiveUp((event) => gaveUp.push('error' in event ? event.error : undefined));
    const failure = await policy.execute(flaky(5, 'never')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: 'down 3' });
    expect(gaveUp).toEqual([failure]);
    const call = callOf(harness, 'inventory');
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_RETRY_ATTEMPT_COUNT]: 3, [ATTR_RETRY_MAX_ATTEMPTS]: 3, [ATTR_ERROR_TYPE]: 'Unavailable' });
    expect(await harness.points(METRIC_RETRY_ATTEMPTS)).toEqual([
      expect.objectContaining({ attributes: { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_OUTCOME]: 'exhausted' }, sum: 3 }),
    ]);
  });

  it('records an error the handler does not handle as aborted after one attempt', async () => {
    const policy = nameRetry(c.retry(c.handleType(Unavailable), { maxAttempts: 5 }), 'inventory');
    const thrown = new TypeError('bug');
    await expect(policy.execute(() => Promise.reject(thrown))).rejects.toBe(thrown);
    expect(callOf(harness, 'inventory').attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'aborted', [ATTR_RETRY_ATTEMPT_COUNT]: 1, [ATTR_ERROR_TYPE]: 'TypeError' });
    expect(harness.events(EVENT_RETRY_BACKOFF)).toEqual([]);
  });

  it('records a call whose AbortSignal aborted as cancelled: cockatiel stops retrying and throws the last error', async () => {
    const policy = nameRetry(c.retry(c.handleAll, { maxAttempts: 5 }), 'inventory');
    const controller = new AbortController();
    const fail = flaky(5, 'never');
    const failure = await policy
      .execute(({ attempt }) => {
        if (attempt === 1) controller.abort();
        return fail();
      }, controller.signal)
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: 'down 2' });
    expect(callOf(harness, 'inventory').attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'cancelled', [ATTR_RETRY_ATTEMPT_COUNT]: 2, [ATTR_ERROR_TYPE]: 'Unavailable' });
  });

  it('records a give-up on a value the result filter flags as exhausted, resolved, with error.type _OTHER', async () => {
    const policy = nameRetry(c.retry(c.handleWhenResult((value) => value === 'busy'), { maxAttempts: 1 }), 'inventory');
    await expect(policy.execute(() => 'busy')).resolves.toBe('busy');
    const call = callOf(harness, 'inventory');
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_RETRY_ATTEMPT_COUNT]: 2, [ATTR_ERROR_TYPE]: OTHER_VALUE });
    // The caller got no error: the span status stays unset.
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => e.attributes[ATTR_ERROR_TYPE])).toEqual([OTHER_VALUE]);
  });

  it('tells the strategy from the backoff: none is constant, cockatiel classes by kind, a factory of the user’s own is custom', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ownFactory = { next: () => ({ duration: 7, next: () => ownFactory.next() }) };
    const cases: [string, Policy, string, number[] | undefined][] = [
      ['none', c.retry(c.handleAll, { maxAttempts: 2 }), 'constant', [0, 0]],
      ['exponential', c.retry(c.handleAll, { maxAttempts: 2, backoff: new c.ExponentialBackoff({ initialDelay: 10, maxDelay: 1000 }) }), 'exponential', undefined],
      ['iterable', c.retry(c.handleAll, { maxAttempts: 2, backoff: new c.IterableBackoff([5, 40]) }), 'iterable', [0.005, 0.04]],
      ['delegate', c.retry(c.handleAll, { maxAttempts: 2, backoff: new c.DelegateBackoff((context) => context.attempt * 3) }), 'custom', [0.003, 0.006]],
      ['own', c.retry(c.handleAll, { maxAttempts: 2, backoff: ownFactory }), 'custom', [0.007, 0.007]],
    ];
    for (const [name, policy, strategy, delays] of cases) {
      const reported: number[] = [];
      policy.onRetry((event) => reported.push(event.delay / 1000));
      await drive(harness, name, nameRetry(policy, name).execute(flaky(2, 'ok')), 3);
      const events = harness.events(EVENT_RETRY_BACKOFF).filter((e) => e.attributes[ATTR_RETRY_NAME] === name);
      expect(events.map((e) => e.attributes[ATTR_RETRY_BACKOFF_STRATEGY]), name).toEqual([strategy, strategy]);
      // Randomized delays (ExponentialBackoff's decorrelated jitter) are recorded as drawn.
      expect(events.map((e) => e.attributes[ATTR_RETRY_DELAY]), name).toEqual(delays ?? reported);
      expect(attemptsOf(harness, name).map((s) => s.attributes[ATTR_RETRY_DELAY]), name).toEqual([undefined, ...(delays ?? reported)]);
    }
  });

  it('gives each of concurrent calls on one policy its own retries and delays', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // The delay depends on the call's error, so a retry attributed to the wrong call would show.
    const policy = c.retry(c.handleAll, {
      maxAttempts: 3,
      backoff: new c.DelegateBackoff((context) => ('error' in context.result && (context.result.error as Error).message.startsWith('slow') ? 300 : 10)),
    });
    let fastCalls = 0;
    let slowCalls = 0;
    const fast = policy.execute(async function fast() {
      if (++fastCalls <= 2) throw new Unavailable('fast');
      return 'fast';
    });
    const slow = policy.execute(async function slow() {
      if (++slowCalls <= 1) throw new Unavailable('slow');
      return 'slow';
    });
    await harness.waitForEvent(EVENT_RETRY_BACKOFF, { [ATTR_RETRY_NAME]: 'slow' });
    await vi.advanceTimersByTimeAsync(300);
    expect(await Promise.all([fast, slow])).toEqual(['fast', 'slow']);
    expect(attemptsOf(harness, 'fast').map((s) => s.attributes[ATTR_RETRY_DELAY])).toEqual([undefined, 0.01, 0.01]);
    expect(attemptsOf(harness, 'slow').map((s) => s.attributes[ATTR_RETRY_DELAY])).toEqual([undefined, 0.3]);
    for (const name of ['fast', 'slow']) {
      const call = callOf(harness, name);
      expect(attemptsOf(harness, name).every((s) => s.parentSpanContext?.spanId === call.spanContext().spanId)).toBe(true);
    }
  });

  it('nests a retry policy executed inside another one’s attempt: each call has its own attempts and waits', async () => {
    const outer = nameRetry(c.retry(c.handleAll, { maxAttempts: 1 }), 'outer');
    const inner = nameRetry(c.retry(c.handleAll, { maxAttempts: 1 }), 'inner');
    const innerFn = flaky(1, 'deep');
    expect(await outer.execute(() => inner.execute(innerFn))).toBe('deep');
    expect(callOf(harness, 'outer').attributes[ATTR_RETRY_ATTEMPT_COUNT]).toBe(1);
    expect(callOf(harness, 'inner').attributes[ATTR_RETRY_ATTEMPT_COUNT]).toBe(2);
    expect(harness.events(EVENT_RETRY_BACKOFF).map((e) => e.attributes[ATTR_RETRY_NAME])).toEqual(['inner']);
    expect(callOf(harness, 'inner').parentSpanContext?.spanId).toBe(attemptsOf(harness, 'outer')[0]!.spanContext().spanId);
  });

  describe.each<[string, RetryInstrumentationConfig, ((h: Harness) => void) | undefined]>([
    ['a throwing requestHook', { requestHook: () => { throw new Error('hook'); } }, undefined],
    ['a throwing responseHook', { responseHook: () => { throw new Error('hook'); } }, undefined],
    ['a throwing retryName', { retryName: () => { throw new Error('hook'); } }, undefined],
    ['a meter whose instruments throw', {}, (h) => h.instrumentation.setMeterProvider(throwingMeterProvider())],
  ])('with %s', (_title, config, apply) => {
    it('cockatiel makes the same attempts, events and waits, in the same order, with the same result', async () => {
      await harness.close();
      await setup(config);
      apply?.(harness);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const order: string[] = [];
      const policy = c.retry(c.handleAll, { maxAttempts: 2, backoff: new c.ConstantBackoff(100) });
      policy.onRetry((event) => order.push(`retry ${event.attempt} after ${event.delay}`));
      policy.onGiveUp(() => order.push('give up'));
      const thrown = new Unavailable('down');
      const result = policy.execute(({ attempt }) => {
        order.push(`attempt ${attempt}`);
        return Promise.reject(thrown);
      });
      result.catch(() => undefined);
      for (let i = 0; i < 2; i++) {
        await vi.advanceTimersByTimeAsync(99);
        order.push('99 ms');
        await vi.advanceTimersByTimeAsync(1);
      }
      await expect(result).rejects.toBe(thrown);
      expect(order).toEqual(['attempt 0', 'retry 1 after 100', '99 ms', 'attempt 1', 'retry 2 after 100', '99 ms', 'attempt 2', 'give up']);
    });
  });
});
