import { afterEach, describe, expect, it } from 'vitest';
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
});
