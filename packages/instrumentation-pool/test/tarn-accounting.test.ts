import { afterEach, describe, expect, it } from 'vitest';
import type * as Tarn from 'tarn';
import type { PoolOptions } from 'tarn/dist/Pool';
import { Harness } from './support/harness';
import { sizesOf } from './support/points';
import { seededRandom, yieldTurns } from './support/random';
import { snapshotAtObservation } from './support/snapshots';
import { ownTarnSizes, type TarnModule, type TarnResource } from './support/tarn';
import { namePool } from '../src/naming';

// Many borrowers on a few tarn pools, holding for random turns, releasing (sometimes twice),
// some creates failing (propagated to the waiting acquire on one pool) and some validations
// refusing, with the metrics collected at random points: every observation must equal tarn's
// own numFree/numUsed/numPendingAcquires/max/min at that instant.

let harness: Harness;
afterEach(() => harness.close());

const SEEDS = [1, 2, 3];

/** tarn's options for a pool whose creates take random turns and sometimes fail, and whose validations sometimes refuse. */
function randomOptions(random: () => number, options: { min: number; max: number; propagateCreateError?: boolean }): PoolOptions<TarnResource> {
  let created = 0;
  return {
    ...options,
    createRetryIntervalMillis: 1,
    create: async () => {
      await yieldTurns(Math.floor(random() * 4));
      if (random() < 0.1) throw new Error('connect failed');
      created += 1;
      return { id: created };
    },
    destroy: async () => yieldTurns(Math.floor(random() * 2)),
    validate: () => random() > 0.1,
  };
}

async function borrower(pool: Tarn.Pool<TarnResource>, random: () => number, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const resource = await pool.acquire().promise.catch(() => undefined);
    if (resource === undefined) {
      await yieldTurns(1);
      continue;
    }
    await yieldTurns(Math.floor(random() * 5));
    pool.release(resource);
    if (random() < 0.1) pool.release(resource);
  }
}

describe.each([
  ['required', (h: Harness) => Promise.resolve(h.require<TarnModule>('tarn'))],
  ['imported', (h: Harness) => h.import<TarnModule>('tarn')],
])('tarn %s', (_label, load) => {
  it.each(SEEDS)("seed %i: every observation equals the pools' own counters under concurrent load", async (seed) => {
    harness = new Harness();
    const tarn = await load(harness);
    const random = seededRandom(seed);
    const pools = new Map<string, Tarn.Pool<TarnResource>>([
      ['small', namePool(new tarn.Pool(randomOptions(random, { min: 1, max: 2 })), 'small')],
      ['propagating', namePool(new tarn.Pool(randomOptions(random, { min: 0, max: 3, propagateCreateError: true })), 'propagating')],
      ['wide', namePool(new tarn.Pool(randomOptions(random, { min: 2, max: 4 })), 'wide')],
    ]);
    const snapshot = snapshotAtObservation(harness.meterProvider, pools, ownTarnSizes);
    const all = Promise.all([...pools.values()].flatMap((pool) => Array.from({ length: 6 }, () => borrower(pool, random, 15))));
    let done = false;
    void all.then(() => (done = true));
    let observations = 0;
    let busy = 0;
    while (!done) {
      await yieldTurns(Math.floor(random() * 6));
      const points = await harness.points();
      const own = snapshot();
      for (const name of pools.keys()) {
        expect({ name, ...sizesOf(points, name) }).toEqual({ name, ...own.get(name) });
        if ((own.get(name)?.used ?? 0) > 0 && (own.get(name)?.pending ?? 0) > 0) busy += 1;
      }
      observations += 1;
    }
    await all;
    expect(observations).toBeGreaterThan(20);
    // The load really was concurrent: pools were seen lending and queueing at once.
    expect(busy).toBeGreaterThan(10);
    for (const pool of pools.values()) await pool.destroy();
    expect((await harness.points()).filter((p) => p.name === 'db.client.connection.count' && p.value !== 0)).toEqual([]);
  });
});
