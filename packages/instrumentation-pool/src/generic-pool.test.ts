import { afterEach, describe, expect, it, vi } from 'vitest';
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
import { Harness } from '../test/support/harness';
import { ownSizes, TestFactory, type GenericPoolModule } from '../test/support/generic-pool';
import { sizesOf } from '../test/support/points';
import { namePool } from './naming';

let harness: Harness;
const registrySize = (h: Harness) => (h.instrumentation as unknown as { telemetry: { registry: { size: number } } }).telemetry.registry.size;
afterEach(() => harness.close());

const LOADERS: [string, (h: Harness) => Promise<GenericPoolModule>][] = [
  ['required', async (h) => h.require<GenericPoolModule>('generic-pool')],
  ['imported', (h) => h.import<GenericPoolModule>('generic-pool')],
];

describe.each(LOADERS)('generic-pool %s', (_label, load) => {
  it('reports the sizes generic-pool reports of itself, and the times of creates, waits and uses', async () => {
    harness = new Harness();
    const genericPool = await load(harness);
    const pool = namePool(genericPool.createPool(new TestFactory(), { max: 3, min: 1 }), 'inventory');
    await harness.waitForEvent(EVENT_LIFECYCLE, { [ATTR_POOL_NAME]: 'inventory', [ATTR_LIFECYCLE_STATE]: 'started' });
    const first = await pool.acquire();
    const second = await pool.acquire();
    expect(sizesOf(await harness.points(), 'inventory')).toEqual(ownSizes(pool));
    expect(ownSizes(pool)).toMatchObject({ used: 2, max: 3, idleMin: 1 });
    await pool.release(first);
    await pool.destroy(second);
    expect(sizesOf(await harness.points(), 'inventory')).toEqual(ownSizes(pool));
    const points = await harness.points();
    const count = (name: string) => points.find((p) => p.name === name && p.attributes[ATTR_POOL_NAME] === 'inventory')?.value;
    expect([count(METRIC_POOL_CREATE_TIME), count(METRIC_POOL_WAIT_TIME), count(METRIC_POOL_USE_TIME)]).toEqual([2, 2, 2]);
    await pool.drain();
    await pool.clear();
  });

  it('starts pool.acquire only under a parent span, with the name and ERROR and error.type on a timeout', async () => {
    harness = new Harness();
    const genericPool = await load(harness);
    const pool = namePool(genericPool.createPool(new TestFactory(), { max: 1, acquireTimeoutMillis: 1 }), 'orders');
    const held = await pool.acquire();
    expect(harness.spans()).toEqual([]);
    const tracer = harness.tracerProvider.getTracer('test');
    const error = await tracer.startActiveSpan('request', async (parent) => {
      const failure = await pool.acquire().catch((e: unknown) => e);
      parent.end();
      return failure;
    });
    expect((error as Error).name).toBe('TimeoutError');
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
    // A timed-out acquire obtained nothing: no wait time for it.
    expect(points.find((p) => p.name === METRIC_POOL_WAIT_TIME)?.value).toBe(1);
    await pool.release(held);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('emits stopped once the pool drained, and the drained pool leaves the registry: its series go to 0', async () => {
    harness = new Harness();
    const genericPool = await load(harness);
    const pool = namePool(genericPool.createPool(new TestFactory(), { max: 2, min: 2 }), 'drained');
    await harness.waitForEvent(EVENT_LIFECYCLE, { [ATTR_POOL_NAME]: 'drained', [ATTR_LIFECYCLE_STATE]: 'started' });
    const resource = await pool.acquire();
    expect(sizesOf(await harness.points(), 'drained')).toEqual(ownSizes(pool));
    const drained = pool.drain();
    await pool.release(resource);
    await drained;
    const stopped = await harness.waitForEvent(EVENT_LIFECYCLE, { [ATTR_POOL_NAME]: 'drained', [ATTR_LIFECYCLE_STATE]: 'stopped' });
    expect(stopped.attributes).toEqual({ [ATTR_POOL_NAME]: 'drained', [ATTR_COMPONENT_KIND]: 'pool', [ATTR_LIFECYCLE_STATE]: 'stopped' });
    // The SDK keeps exporting a series it has seen: the drained pool's go to 0 rather than stay.
    expect(sizesOf(await harness.points(), 'drained')).toEqual({ idle: 0, used: 0, pending: 0, max: 0, idleMax: 0, idleMin: 0 });
    expect(ownSizes(pool)).toMatchObject({ idle: 2, used: 0 });
    expect(registrySize(harness)).toBe(0);
    await pool.clear();
  });

  it('the evictor and clear() take idle connections away, and the sizes follow', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      harness = new Harness();
      const genericPool = await load(harness);
      const factory = new TestFactory();
      const pool = namePool(genericPool.createPool(factory, { max: 4, evictionRunIntervalMillis: 1_000, idleTimeoutMillis: 500, numTestsPerEvictionRun: 4 }), 'evicted');
      const lent = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
      for (const resource of lent.slice(1)) await pool.release(resource);
      expect(sizesOf(await harness.points(), 'evicted')).toEqual({ ...ownSizes(pool), idle: 2, used: 1 });
      vi.advanceTimersByTime(1_000);
      expect(factory.destroyed).toBe(2);
      expect(sizesOf(await harness.points(), 'evicted')).toEqual({ ...ownSizes(pool), idle: 0, used: 1 });
      await pool.release(lent[0]!);
      await pool.clear();
      expect(factory.destroyed).toBe(3);
      // generic-pool 3.9's clear() destroys its idle resources but leaves them counted in
      // `available`: the metric says what the pool says.
      expect(sizesOf(await harness.points(), 'evicted')).toEqual(ownSizes(pool));
      await pool.drain();
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts destroy failures, and maxWaitingClients rejections as acquire errors', async () => {
    harness = new Harness();
    const genericPool = await load(harness);
    const factory = new TestFactory();
    factory.destroyError = new RangeError('close failed');
    const pool = namePool(genericPool.createPool(factory, { max: 1, maxWaitingClients: 0 }), 'faulty');
    const first = await pool.acquire();
    await expect(pool.acquire()).rejects.toThrow('max waitingClients count exceeded');
    const destroyFailed = new Promise((resolve) => pool.once('factoryDestroyError', resolve));
    await pool.destroy(first);
    await destroyFailed;
    const errors = (await harness.points(METRIC_POOL_ERRORS)).map((p) => [p.attributes[ATTR_POOL_OPERATION], p.attributes[ATTR_ERROR_TYPE], p.value]);
    expect(errors).toEqual([['acquire', 'Error', 1], ['destroy', 'RangeError', 1]]);
    await pool.drain();
  });

  it("hands back generic-pool's own promises: of its Promise option's class, one per call", async () => {
    harness = new Harness();
    const genericPool = await load(harness);
    class OwnPromise<T> extends Promise<T> {}
    const pool = genericPool.createPool(new TestFactory(), { max: 1, Promise: OwnPromise } as never);
    const acquiring = pool.acquire();
    expect(acquiring).toBeInstanceOf(OwnPromise);
    const resource = await acquiring;
    const returned = [pool.release(resource), pool.release(resource), pool.drain()];
    for (const promise of returned) expect(promise).toBeInstanceOf(OwnPromise);
    await Promise.allSettled(returned);
    expect(harness.spans()).toEqual([]);
    expect((await harness.points(METRIC_POOL_WAIT_TIME))[0]?.value).toBe(1);
  });

  it('names a pool by namePool on it or its factory, else the poolName option, else generic-pool-{n}; generated names are dropped', async () => {
    harness = new Harness({ poolName: ({ pool }) => (pool as { max: number }).max === 3 ? 'from-config' : undefined });
    const genericPool = await load(harness);
    const pools = [
      namePool(genericPool.createPool(new TestFactory(), { max: 3 }), 'given'),
      genericPool.createPool(namePool(new TestFactory(), 'by-factory'), { max: 3 }),
      genericPool.createPool(new TestFactory(), { max: 3 }),
      genericPool.createPool(new TestFactory(), { max: 2 }),
      namePool(genericPool.createPool(new TestFactory(), { max: 2 }), '3f2b9c1e-7a4d-4e8f-9b6a-1c2d3e4f5a6b'),
    ];
    for (const pool of pools) await pool.release(await pool.acquire());
    const names = (await harness.points(METRIC_POOL_WAIT_TIME)).map((p) => p.attributes[ATTR_POOL_NAME]);
    expect(names).toEqual(['given', 'by-factory', 'from-config', expect.stringMatching(/^generic-pool-\d+$/), undefined]);
    for (const pool of pools) await pool.drain();
  });

  it('reports a pool that was never used: its sizes from the first collection', async () => {
    harness = new Harness();
    const genericPool = await load(harness);
    const pool = namePool(genericPool.createPool(new TestFactory(), { max: 3 }), 'unused');
    await harness.waitForEvent(EVENT_LIFECYCLE, { [ATTR_POOL_NAME]: 'unused', [ATTR_LIFECYCLE_STATE]: 'started' });
    expect(sizesOf(await harness.points(), 'unused')).toEqual({ idle: 0, used: 0, pending: 0, max: 3, idleMax: 3, idleMin: 0 });
    await pool.drain();
  });
});
