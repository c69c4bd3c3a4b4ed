import { afterEach, describe, expect, it } from 'vitest';
import type * as Tarn from 'tarn';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_COMPONENT_KIND,
  ATTR_ERROR_TYPE,
  ATTR_LIFECYCLE_STATE,
  ATTR_POOL_NAME,
  ATTR_POOL_OPERATION,
  EVENT_LIFECYCLE,
  METRIC_POOL_CREATE_TIME,
  METRIC_POOL_ERRORS,
  METRIC_POOL_TIMEOUTS,
  METRIC_POOL_USE_TIME,
  METRIC_POOL_WAIT_TIME,
} from '@dyntel/semconv';
import { waitForPoolReady, waitForPoolStopped } from '@dyntel/test-span-assertions';
import { Harness } from '../test/support/harness';
import { sizesOf } from '../test/support/points';
import { ownTarnSizes, TarnFactory, type TarnModule, type TarnResource } from '../test/support/tarn';
import { namePool } from './naming';

let harness: Harness;
const registrySize = (h: Harness) => (h.instrumentation as unknown as { telemetry: { registry: { size: number } } }).telemetry.registry.size;
afterEach(() => harness.close());

const LOADERS: [string, (h: Harness) => Promise<TarnModule>][] = [
  ['required', async (h) => h.require<TarnModule>('tarn')],
  ['imported', (h) => h.import<TarnModule>('tarn')],
];

/** What every user listener of a pool saw, in order. */
function listen(pool: Tarn.Pool<TarnResource>, log: string[]): void {
  const events = ['acquireRequest', 'acquireSuccess', 'acquireFail', 'release', 'createRequest', 'createSuccess', 'createFail', 'destroyRequest', 'destroySuccess', 'poolDestroyRequest', 'poolDestroySuccess'] as const;
  for (const event of events) {
    (pool.on as (event: string, listener: (...args: unknown[]) => void) => void)(event, (...args: unknown[]) => {
      log.push(`${event} ${args.map((a) => (a instanceof Error ? `${a.constructor.name}: ${a.message}` : JSON.stringify(a))).join(' ')}`);
    });
  }
}

/** A short run of a pool: two acquires, one queued, a timeout, a release, a destroy; with what the user's listeners saw. */
async function run(tarn: TarnModule): Promise<string[]> {
  const log: string[] = [];
  const pool = new tarn.Pool(new TarnFactory().options({ max: 1, acquireTimeoutMillis: 5 }));
  listen(pool, log);
  const first = await pool.acquire().promise;
  const failure = await pool.acquire().promise.catch((error: unknown) => error);
  log.push(`timed out ${(failure as Error).constructor.name}`);
  const queued = pool.acquire().promise;
  log.push(`released ${pool.release(first)}`);
  pool.release(await queued);
  log.push(`listeners ${(pool as unknown as { emitter: { listenerCount(e: string): number } }).emitter.listenerCount('acquireSuccess')}`);
  await pool.destroy();
  return log;
}

describe.each(LOADERS)('tarn %s', (_label, load) => {
  it('reports the sizes tarn reports of itself, and the times of creates, waits and uses', async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const pool = namePool(new tarn.Pool(new TarnFactory().options({ max: 3, min: 1 })), 'inventory');
    const first = await pool.acquire().promise;
    await waitForPoolReady(harness.recorder, 'inventory');
    const second = await pool.acquire().promise;
    expect(ownTarnSizes(pool)).toMatchObject({ used: 2, max: 3, idleMin: 1 });
    expect(sizesOf(await harness.points(), 'inventory')).toEqual(ownTarnSizes(pool));
    pool.release(first);
    pool.release(second);
    expect(ownTarnSizes(pool)).toMatchObject({ used: 0, idle: 2 });
    const points = await harness.points();
    expect(sizesOf(points, 'inventory')).toEqual(ownTarnSizes(pool));
    const count = (name: string) => points.find((p) => p.name === name && p.attributes[ATTR_POOL_NAME] === 'inventory')?.value;
    expect([count(METRIC_POOL_CREATE_TIME), count(METRIC_POOL_WAIT_TIME), count(METRIC_POOL_USE_TIME)]).toEqual([2, 2, 2]);
    await pool.destroy();
  });

  it('names an unnamed pool tarn-{n}', async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const pool = new tarn.Pool(new TarnFactory().options({ max: 1 }));
    pool.release(await pool.acquire().promise);
    const started = await harness.waitForEvent(EVENT_LIFECYCLE, { [ATTR_LIFECYCLE_STATE]: 'started' });
    expect(started.attributes[ATTR_POOL_NAME]).toMatch(/^tarn-\d+$/);
    await pool.destroy();
  });

  it('starts pool.acquire only under a parent span; an acquire timeout is ERROR with error.type, a timeout and an acquire error', async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const pool = namePool(new tarn.Pool(new TarnFactory().options({ max: 1, acquireTimeoutMillis: 1 })), 'orders');
    const held = await pool.acquire().promise;
    expect(harness.spans()).toEqual([]);
    const tracer = harness.tracerProvider.getTracer('test');
    const error = await tracer.startActiveSpan('request', async (parent) => {
      const failure = await pool.acquire().promise.catch((e: unknown) => e);
      parent.end();
      return failure;
    });
    expect(error).toBeInstanceOf(tarn.TimeoutError);
    const acquire = harness.spans().find((s) => s.name === 'pool.acquire orders');
    expect(acquire?.attributes).toEqual({ [ATTR_POOL_NAME]: 'orders', [ATTR_ERROR_TYPE]: 'TimeoutError' });
    expect(acquire?.status.code).toBe(SpanStatusCode.ERROR);
    expect(acquire?.parentSpanContext?.spanId).toBe(harness.spans().find((s) => s.name === 'request')?.spanContext().spanId);
    const points = await harness.points();
    expect(points.find((p) => p.name === METRIC_POOL_TIMEOUTS)?.value).toBe(1);
    expect(points.find((p) => p.name === METRIC_POOL_ERRORS)).toMatchObject({
      value: 1,
      attributes: { [ATTR_POOL_NAME]: 'orders', [ATTR_POOL_OPERATION]: 'acquire', [ATTR_ERROR_TYPE]: 'TimeoutError' },
    });
    // The timed-out acquire obtained nothing: only the first one has a wait time.
    expect(points.find((p) => p.name === METRIC_POOL_WAIT_TIME)?.value).toBe(1);
    pool.release(held);
    expect(trace.getActiveSpan()).toBeUndefined();
    await pool.destroy();
  });

  it('counts a failed create as a create error with its code, and the pool recovers', async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const factory = new TarnFactory();
    factory.createError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const pool = namePool(new tarn.Pool(factory.options({ max: 1, createRetryIntervalMillis: 1 })), 'refused');
    const failed = new Promise((resolve) => pool.on('createFail', resolve));
    const acquired = pool.acquire().promise;
    await failed;
    factory.createError = undefined;
    pool.release(await acquired);
    const errors = await harness.points(METRIC_POOL_ERRORS);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ value: 1, attributes: { [ATTR_POOL_NAME]: 'refused', [ATTR_POOL_OPERATION]: 'create', [ATTR_ERROR_TYPE]: 'ECONNREFUSED' } });
    expect((await harness.points(METRIC_POOL_CREATE_TIME))[0]?.value).toBe(1);
    await pool.destroy();
  });

  it('counts a failed destroy as a destroy error', async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const factory = new TarnFactory();
    factory.destroyError = new RangeError('socket already closed');
    const pool = namePool(new tarn.Pool(factory.options({ max: 1 })), 'closing');
    pool.release(await pool.acquire().promise);
    await pool.destroy();
    expect((await harness.points(METRIC_POOL_ERRORS)).map((p) => [p.attributes[ATTR_POOL_OPERATION], p.attributes[ATTR_ERROR_TYPE], p.value])).toEqual([['destroy', 'RangeError', 1]]);
  });

  it('emits stopped once the pool is destroyed, and the destroyed pool leaves the registry: its series go to 0', async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const pool = namePool(new tarn.Pool(new TarnFactory().options({ max: 2, min: 1 })), 'destroyed');
    const resource = await pool.acquire().promise;
    await waitForPoolReady(harness.recorder, 'destroyed');
    expect(sizesOf(await harness.points(), 'destroyed')).toEqual(ownTarnSizes(pool));
    const destroyed = pool.destroy();
    pool.release(resource);
    await destroyed;
    const stopped = await waitForPoolStopped(harness.recorder, 'destroyed');
    expect(stopped.attributes).toEqual({ [ATTR_POOL_NAME]: 'destroyed', [ATTR_COMPONENT_KIND]: 'pool', [ATTR_LIFECYCLE_STATE]: 'stopped' });
    expect(sizesOf(await harness.points(), 'destroyed')).toEqual({ idle: 0, used: 0, pending: 0, max: 0, idleMax: 0, idleMin: 0 });
    expect(registrySize(harness)).toBe(0);
  });

  it("the user's own listeners see the same events, in the same order, as without the instrumentation", async () => {
    harness = new Harness();
    const tarn = await load(harness);
    const instrumented = await run(tarn);
    const points = await harness.points();
    expect(points.find((p) => p.name === METRIC_POOL_TIMEOUTS)?.value).toBe(1);
    await harness.close();
    // Unpatched now: the same run, bare.
    harness = new Harness();
    expect(instrumented).toEqual(await run(tarn));
  });
});

it('tarn required and imported in one process: one Pool, patched once', async () => {
  harness = new Harness();
  const required = harness.require<TarnModule>('tarn');
  const imported = await harness.import<TarnModule>('tarn');
  expect(imported.Pool).toBe(required.Pool);
  const pool = namePool(new imported.Pool(new TarnFactory().options({ max: 1 })), 'once');
  pool.release(await pool.acquire().promise);
  expect((await harness.points(METRIC_POOL_WAIT_TIME)).map((p) => p.value)).toEqual([1]);
  expect((await harness.points(METRIC_POOL_USE_TIME)).map((p) => p.value)).toEqual([1]);
  await pool.destroy();
});
