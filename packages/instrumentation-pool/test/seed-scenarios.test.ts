import { afterEach, expect, it, vi } from 'vitest';
import type { Pool } from 'generic-pool';
import { ATTR_ERROR_TYPE, ATTR_POOL_NAME, ATTR_POOL_OPERATION, METRIC_POOL_ERRORS } from '@dyntel/semconv';
import { waitForPoolAcquire, waitForPoolPendingRequests, waitForPoolReady, waitForPoolStopped, waitForPoolTimeout } from '@dyntel/test-span-assertions';
import { Harness } from './support/harness';
import { ownSizes, TestFactory, type GenericPoolModule, type Resource } from './support/generic-pool';
import { sizesOf } from './support/points';
import { namePool } from '../src/naming';

// The seed scenarios on generic-pool, with no sleeps: each step waits for the telemetry
// that says it happened, and the acquire timeout is driven by fake timers.

let harness: Harness;
afterEach(async () => {
  vi.useRealTimers();
  await harness.close();
});

function setup(): { genericPool: GenericPoolModule; inParent: <T>(fn: () => Promise<T>) => Promise<T> } {
  harness = new Harness();
  const genericPool = harness.require<GenericPoolModule>('generic-pool');
  const tracer = harness.tracerProvider.getTracer('seed');
  const inParent = <T>(fn: () => Promise<T>) => tracer.startActiveSpan('request', (span) => fn().finally(() => span.end()));
  return { genericPool, inParent };
}

it('a pool created and ready: the started event, then its minimum of idle connections reported', async () => {
  const { genericPool } = setup();
  const pool = namePool(genericPool.createPool(new TestFactory(), { max: 4, min: 2 }), 'ready');
  await waitForPoolReady(harness.recorder, 'ready');
  await pool.ready();
  expect(sizesOf(await harness.points(), 'ready')).toEqual({ idle: 2, used: 0, pending: 0, max: 4, idleMax: 4, idleMin: 2 });
  await pool.drain();
});

it('exhaustion: more borrowers than max, pending requests rise, acquires time out (timeouts counter, error.type), pending falls back to 0', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const { genericPool, inParent } = setup();
  const pool: Pool<Resource> = namePool(genericPool.createPool(new TestFactory(), { max: 2, acquireTimeoutMillis: 1_000 }), 'starved');
  const held = await Promise.all([pool.acquire(), pool.acquire()]);
  const waiters = inParent(() => Promise.allSettled([pool.acquire(), pool.acquire(), pool.acquire()]));
  await waitForPoolPendingRequests(harness.recorder, 'starved', 3);
  await pool.release(held[0]!);
  await waitForPoolPendingRequests(harness.recorder, 'starved', 2);
  vi.advanceTimersByTime(1_000);
  await waitForPoolTimeout(harness.recorder, 'starved', { count: 2 });
  await waitForPoolAcquire(harness.recorder, 'starved', { failed: true, errorType: 'TimeoutError' });
  await waitForPoolPendingRequests(harness.recorder, 'starved', 0);
  const settled = await waiters;
  expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  const errors = (await harness.points(METRIC_POOL_ERRORS)).map((p) => [p.attributes[ATTR_POOL_OPERATION], p.attributes[ATTR_ERROR_TYPE], p.value]);
  expect(errors).toEqual([['acquire', 'TimeoutError', 2]]);
  expect(sizesOf(await harness.points(), 'starved')).toEqual(ownSizes(pool));
  await pool.release(held[1]!);
  await pool.release((settled[0] as PromiseFulfilledResult<Resource>).value);
  await pool.drain();
  await waitForPoolStopped(harness.recorder, 'starved');
});

it('a failing factory: each failed create counted as a create error with the error\'s code, and the pool recovers', async () => {
  const { genericPool } = setup();
  const factory = new TestFactory();
  factory.createError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  factory.failuresLeft = 3;
  const pool = namePool(genericPool.createPool(factory, { max: 1 }), 'refused');
  await waitForPoolReady(harness.recorder, 'refused');
  // generic-pool creates again after each failure while a request waits: the fourth create succeeds.
  await pool.release(await pool.acquire());
  expect(await harness.points(METRIC_POOL_ERRORS)).toEqual([
    expect.objectContaining({ value: 3, attributes: { [ATTR_POOL_NAME]: 'refused', [ATTR_POOL_OPERATION]: 'create', [ATTR_ERROR_TYPE]: 'ECONNREFUSED' } }),
  ]);
  expect(sizesOf(await harness.points(), 'refused')).toEqual(ownSizes(pool));
  await pool.drain();
});

it('drain: waits for the lent connection, then the stopped event, and the pool leaves the registry', async () => {
  const { genericPool } = setup();
  const pool = namePool(genericPool.createPool(new TestFactory(), { max: 2, min: 1 }), 'draining');
  await waitForPoolReady(harness.recorder, 'draining');
  const lent = await pool.acquire();
  expect(sizesOf(await harness.points(), 'draining')).toMatchObject({ used: 1 });
  const drained = pool.drain();
  await expect(pool.acquire()).rejects.toThrow('pool is draining and cannot accept work');
  expect((await harness.points(METRIC_POOL_ERRORS)).map((p) => p.attributes[ATTR_ERROR_TYPE])).toEqual(['Error']);
  expect(harness.events('resilience.lifecycle').map((e) => e.attributes['resilience.lifecycle.state'])).toEqual(['started']);
  await pool.release(lent);
  await drained;
  await waitForPoolStopped(harness.recorder, 'draining');
  expect(sizesOf(await harness.points(), 'draining')).toEqual({ idle: 0, used: 0, pending: 0, max: 0, idleMax: 0, idleMin: 0 });
  await pool.clear();
});
