import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, expect, it } from 'vitest';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { flattenPoints } from '@dyntel/test-support';
import { METRIC_POOL_CONNECTION_COUNT, METRIC_POOL_MAX } from '@dyntel/semconv';
import { Harness } from './support/harness';
import { TestFactory, type GenericPoolModule } from './support/generic-pool';

// An application that creates pools per tenant or per request must not leak through telemetry:
// 1,000 pools created, used and drained leave no live series and no memory behind, and pools
// dropped without a drain are forgotten once collected.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

let harness: Harness;
let provider: MeterProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  await harness.close();
});

const registrySize = () => (harness.instrumentation as unknown as { telemetry: { registry: { size: number } } }).telemetry.registry.size;

async function collectedGarbage(): Promise<void> {
  // WeakRef targets live until the current job ends: collect after a turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

async function thousandPools(genericPool: GenericPoolModule, drain: boolean): Promise<void> {
  const pools = Array.from({ length: 1_000 }, () => genericPool.createPool(new TestFactory(), { max: 2 }));
  for (const pool of pools) await pool.release(await pool.acquire());
  if (drain) for (const pool of pools) await pool.drain().then(() => pool.clear());
}

it('1,000 pools drained: the registry is empty, every series seen goes to 0, then none is reported', async () => {
  harness = new Harness();
  const reader = new DeltaReader();
  provider = new MeterProvider({ readers: [reader] });
  harness.instrumentation.setMeterProvider(provider);
  const genericPool = harness.require<GenericPoolModule>('generic-pool');
  const pools = Array.from({ length: 1_000 }, () => genericPool.createPool(new TestFactory(), { max: 2 }));
  for (const pool of pools) await pool.release(await pool.acquire());
  const sizes = async () => flattenPoints((await reader.collect()).resourceMetrics).filter((p) => p.name === METRIC_POOL_CONNECTION_COUNT || p.name === METRIC_POOL_MAX);
  const live = await sizes();
  const key = (p: { name: string; attributes: object }) => `${p.name} ${JSON.stringify(p.attributes)}`;
  // 100 names and _OTHER for the rest, the cardinality cap: each with idle, used and max.
  expect(live).toHaveLength(101 * 3);
  expect(live.filter((p) => p.name === METRIC_POOL_MAX).reduce((sum, p) => sum + p.value, 0)).toBe(2_000);
  for (const pool of pools) await pool.drain().then(() => pool.clear());
  expect(registrySize()).toBe(0);
  // Under delta temporality the last report takes each series back to 0.
  const back = new Map(live.map((p) => [key(p), p.value]));
  for (const p of await sizes()) back.set(key(p), (back.get(key(p)) ?? Number.NaN) + p.value);
  expect(new Set(back.values())).toEqual(new Set([0]));
  expect(await sizes()).toEqual([]);
});

it('1,000 pools created, used and drained, again and again: the heap does not grow', async () => {
  harness = new Harness();
  const genericPool = harness.require<GenericPoolModule>('generic-pool');
  await thousandPools(genericPool, true);
  await harness.points();
  const heap = async () => {
    // What the test recorder keeps (two lifecycle events per pool) is the test's, not a leak.
    harness.recorder.reset();
    await collectedGarbage();
    return process.memoryUsage().heapUsed;
  };
  const rounds: number[] = [await heap()];
  for (let round = 0; round < 6; round++) {
    await thousandPools(genericPool, true);
    await harness.points();
    rounds.push(await heap());
  }
  expect(registrySize()).toBe(0);
  // A pool kept by telemetry costs well over 1 kB: 1,000 of them per round would show as a steady climb.
  const growth = rounds.at(-1)! - rounds[2]!;
  expect(growth).toBeLessThan(1_000_000);
});

it('1,000 pools dropped without a drain are forgotten once collected', async () => {
  harness = new Harness();
  const genericPool = harness.require<GenericPoolModule>('generic-pool');
  await thousandPools(genericPool, false);
  await harness.points();
  expect(registrySize()).toBe(1_000);
  await collectedGarbage();
  await harness.points();
  expect(registrySize()).toBe(0);
});
