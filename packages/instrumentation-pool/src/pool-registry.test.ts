import { describe, expect, it } from 'vitest';
import { createNoopMeter, type Attributes, type BatchObservableResult, type Observable } from '@opentelemetry/api';
import { createPoolInstruments, type PoolInstruments } from './metrics';
import type { PoolAdapter, PoolSizes } from './pool-adapter';
import { PoolRegistry } from './pool-registry';
import { TrackedPool } from './tracked-pool';

interface FakePool {
  sizes: Partial<PoolSizes>;
  broken?: boolean;
}

const adapter: PoolAdapter<FakePool> = {
  library: 'generic-pool',
  read(pool, sizes) {
    if (pool.broken) throw new Error('cannot read');
    Object.assign(sizes, pool.sizes);
  },
};

const label = (name: string | undefined) => ({ metricName: name, spanAttribute: name, spanSuffix: name });

function collect(registry: PoolRegistry): [string, Attributes, number][] {
  // Distinct objects per instrument (a no-op meter hands out one shared instance).
  const instruments = Object.fromEntries(Object.keys(createPoolInstruments(createNoopMeter())).map((key) => [key, { key }])) as unknown as PoolInstruments;
  const names = new Map<Observable, string>([
    [instruments.count, 'count'],
    [instruments.pendingRequests, 'pending'],
    [instruments.max, 'max'],
    [instruments.idleMax, 'idleMax'],
    [instruments.idleMin, 'idleMin'],
  ]);
  const seen: [string, Attributes, number][] = [];
  const result: BatchObservableResult = { observe: (instrument, value, attributes = {}) => void seen.push([names.get(instrument)!, attributes, value]) };
  registry.observe(result, instruments);
  return seen;
}

describe('PoolRegistry', () => {
  it('sums the pools of one name, reports only the sizes an adapter has, and a pool whose adapter throws costs only its own', () => {
    const registry = new PoolRegistry();
    const pools: FakePool[] = [{ sizes: { idle: 1, used: 2, max: 5 } }, { sizes: { idle: 3, used: 0, max: 5, pending: 4 } }, { sizes: { idle: 9 }, broken: true }];
    for (const pool of pools) registry.add(pool, new TrackedPool(adapter as PoolAdapter, label('db')));
    const name = { 'db.client.connection.pool.name': 'db' };
    expect(collect(registry)).toEqual([
      ['count', { ...name, 'db.client.connection.state': 'idle' }, 4],
      ['count', { ...name, 'db.client.connection.state': 'used' }, 2],
      ['pending', name, 4],
      ['max', name, 10],
    ]);
  });

  it('reports a removed pool\'s name at 0 once, then not at all; a pool without a name has series without the attribute', () => {
    const registry = new PoolRegistry();
    const pool: FakePool = { sizes: { idle: 2, used: 1, max: 3 } };
    const tracked = new TrackedPool(adapter as PoolAdapter, label('gone'));
    registry.add(pool, tracked);
    const anonymous: FakePool = { sizes: { max: 1 } };
    registry.add(anonymous, new TrackedPool(adapter as PoolAdapter, label(undefined)));
    expect(collect(registry)).toHaveLength(4);
    registry.remove(tracked);
    expect(collect(registry)).toEqual([
      ['count', { 'db.client.connection.pool.name': 'gone', 'db.client.connection.state': 'idle' }, 0],
      ['count', { 'db.client.connection.pool.name': 'gone', 'db.client.connection.state': 'used' }, 0],
      ['max', { 'db.client.connection.pool.name': 'gone' }, 0],
      ['max', {}, 1],
    ]);
    expect(collect(registry)).toEqual([['max', {}, 1]]);
  });
});
