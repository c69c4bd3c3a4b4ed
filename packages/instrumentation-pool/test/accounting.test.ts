import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from 'generic-pool';
import { Harness } from './support/harness';
import { TestFactory, type GenericPoolModule, type Resource } from './support/generic-pool';
import { sizesOf } from './support/points';
import { seededRandom, yieldTurns } from './support/random';
import { snapshotAtObservation } from './support/snapshots';
import { namePool } from '../src/naming';

// Many borrowers on a few pools, acquiring with priorities, holding for random turns, releasing
// or destroying, some creates failing and some validations refusing, with the metrics collected
// at random points: every observation must equal generic-pool's own counters at that instant.

let harness: Harness;
afterEach(() => harness.close());

const SEEDS = [1, 2, 3];

/** A factory whose creates take random turns and sometimes fail, and whose validations sometimes refuse. */
class RandomFactory extends TestFactory {
  constructor(private readonly random: () => number) {
    super();
  }

  override async create(): Promise<Resource> {
    await yieldTurns(Math.floor(this.random() * 4));
    if (this.random() < 0.1) throw new Error('connect failed');
    return super.create();
  }

  override async validate(): Promise<boolean> {
    await yieldTurns(Math.floor(this.random() * 2));
    return this.random() > 0.1;
  }
}

async function borrower(pool: Pool<Resource>, random: () => number, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const resource = await pool.acquire(Math.floor(random() * 3)).catch(() => undefined);
    if (resource === undefined) {
      await yieldTurns(1);
      continue;
    }
    await yieldTurns(Math.floor(random() * 5));
    if (random() < 0.2) await pool.destroy(resource);
    else await pool.release(resource);
  }
}

describe.each([
  ['required', (h: Harness) => Promise.resolve(h.require<GenericPoolModule>('generic-pool'))],
  ['imported', (h: Harness) => h.import<GenericPoolModule>('generic-pool')],
])('generic-pool %s', (_label, load) => {
  it.each(SEEDS)('seed %i: every observation equals the pools\' own counters under concurrent load', async (seed) => {
    harness = new Harness();
    const genericPool = await load(harness);
    const random = seededRandom(seed);
    const pools = new Map<string, Pool<Resource>>([
      ['small', namePool(genericPool.createPool(new RandomFactory(random), { max: 2, min: 1, priorityRange: 3 }), 'small')],
      ['capped', namePool(genericPool.createPool(new RandomFactory(random), { max: 3, maxWaitingClients: 2, priorityRange: 3 }), 'capped')],
      ['tested', namePool(genericPool.createPool(new RandomFactory(random), { max: 4, min: 2, testOnBorrow: true, priorityRange: 3 }), 'tested')],
    ]);
    const snapshot = snapshotAtObservation(harness.meterProvider, pools as Map<string, Pool<unknown>>);
    const borrowers = [...pools.values()].flatMap((pool) => Array.from({ length: 6 }, () => borrower(pool, random, 15)));
    let observations = 0;
    let busy = 0;
    const all = Promise.all(borrowers);
    let done = false;
    void all.then(() => (done = true));
    while (!done) {
      await yieldTurns(Math.floor(random() * 6));
      const points = await harness.points();
      const own = snapshot();
      for (const name of pools.keys()) {
        expect({ name, ...sizesOf(points, name) }).toEqual({ name, ...own.get(name) });
        if ((own.get(name)?.used ?? 0) > 0 || (own.get(name)?.pending ?? 0) > 0) busy += 1;
      }
      observations += 1;
    }
    await all;
    expect(observations).toBeGreaterThan(20);
    // The load really was concurrent: pools were seen lending and queueing.
    expect(busy).toBeGreaterThan(10);
    for (const pool of pools.values()) {
      await pool.drain();
      await pool.clear();
    }
  });
});
