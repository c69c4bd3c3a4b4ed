import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Knex } from 'knex';
import { ATTR_ERROR_TYPE, ATTR_LIFECYCLE_STATE, ATTR_POOL_NAME, ATTR_POOL_OPERATION, EVENT_LIFECYCLE, METRIC_POOL_CREATE_TIME, METRIC_POOL_ERRORS, METRIC_POOL_USE_TIME, METRIC_POOL_WAIT_TIME } from '@dyntel/semconv';
import { startPostgres, type PostgresServer } from '@dyntel/test-support';
import { waitForPoolAcquire, waitForPoolPendingRequests, waitForPoolReady, waitForPoolStopped, waitForPoolTimeout } from '@dyntel/test-span-assertions';
import { namePool } from '../src/naming';
import { Harness } from './support/harness';
import { derivedName, importKnex, pgKnex, requireKnex, tarnPoolOf, type KnexLoader } from './support/knex';
import { sizesOf } from './support/points';
import { snapshotAtObservation } from './support/snapshots';
import { yieldTurns } from './support/random';
import { ownTarnSizes } from './support/tarn';

// knex 3 on tarn against a real PostgreSQL (the pure-JS pg driver): the pool knex creates is
// named host:port/database from its connection, reported while it lives, and stops with
// knex.destroy(). No sleeps: each step waits for the telemetry or the promise that says it happened.

let server: PostgresServer;
let harness: Harness;
const registrySize = (h: Harness) => (h.instrumentation as unknown as { telemetry: { registry: { size: number } } }).telemetry.registry.size;

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop());
afterEach(async () => {
  vi.useRealTimers();
  await harness.close();
});

/** Every attribute key and value, span name and event of what was exported, as one string. */
async function everythingExported(h: Harness): Promise<string> {
  const spans = h.spans().map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events.map((e) => [e.name, e.attributes]) }));
  const events = h.recorder.events().map((e) => [e.name, e.attributes, e.body]);
  return JSON.stringify({ spans, events, points: await h.points() });
}

// knex warns of every failed acquire on the console; these tests fail acquires on purpose.
const QUIET = { warn: () => {} };

const poolNamesExported = async (h: Harness): Promise<unknown[]> => [
  ...new Set([...h.spans().map((s) => s.attributes[ATTR_POOL_NAME]), ...h.recorder.events().map((e) => e.attributes[ATTR_POOL_NAME]), ...(await h.points()).map((p) => p.attributes[ATTR_POOL_NAME])].filter((n) => n !== undefined)),
];

describe.each([
  ['required', requireKnex],
  ['imported', importKnex],
] as [string, KnexLoader][])('knex %s on PostgreSQL', (_label, load) => {
  it('names the pool host:port/database, reports it exactly under concurrent queries with max 2, and stops it on destroy()', async () => {
    harness = new Harness();
    const db = pgKnex(await load(harness), server, { min: 0, max: 2 });
    const name = derivedName(server);
    await waitForPoolReady(harness.recorder, name);
    const pool = tarnPoolOf(db);
    // How many connections tarn opens depends on how fast the first ones come back: counted by its own events.
    let created = 0;
    pool.on('createSuccess', () => (created += 1));
    const snapshot = snapshotAtObservation(harness.meterProvider, new Map([[name, pool]]), ownTarnSizes);
    const tracer = harness.tracerProvider.getTracer('test');
    const queries = tracer.startActiveSpan('request', (span) =>
      Promise.all(Array.from({ length: 12 }, (_, i) => db.raw('select ?::int as n', [i]).then((r: { rows: { n: number }[] }) => r.rows[0]!.n))).finally(() => span.end()),
    );
    let settled = false;
    void queries.finally(() => (settled = true));
    let observations = 0;
    let queued = 0;
    while (!settled) {
      // A turn of the event loop between observations: the queries' socket I/O runs there.
      await yieldTurns(0);
      const sizes = sizesOf(await harness.points(), name);
      expect(sizes).toEqual(snapshot().get(name));
      expect(sizes.used! + sizes.idle!).toBeLessThanOrEqual(2);
      if (sizes.pending! > 0) queued += 1;
      observations += 1;
    }
    expect(await queries).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(observations).toBeGreaterThan(2);
    expect(queued).toBeGreaterThan(0);
    const points = await harness.points();
    expect(sizesOf(points, name)).toEqual(ownTarnSizes(pool));
    const count = (metric: string) => points.find((p) => p.name === metric && p.attributes[ATTR_POOL_NAME] === name)?.value;
    expect([count(METRIC_POOL_WAIT_TIME), count(METRIC_POOL_USE_TIME), count(METRIC_POOL_CREATE_TIME)]).toEqual([12, 12, created]);
    expect(created).toBeGreaterThan(0);
    expect(harness.spans().filter((s) => s.name === `pool.acquire ${name}`)).toHaveLength(12);
    await db.destroy();
    await waitForPoolStopped(harness.recorder, name);
    expect(sizesOf(await harness.points(), name)).toEqual({ idle: 0, used: 0, pending: 0, max: 0, idleMax: 0, idleMin: 0 });
    expect(registrySize(harness)).toBe(0);
    const exported = await everythingExported(harness);
    expect(exported).toContain(name);
    expect(exported).not.toContain(server.password);
    expect(await poolNamesExported(harness)).toEqual([name]);
  });

  it('exhaustion: more queries than max wait, pending rises, each times out as a KnexTimeoutError, counted with error.type', async () => {
    harness = new Harness();
    const db = pgKnex(await load(harness), server, { min: 0, max: 2 }, { acquireConnectionTimeout: 1_000, log: QUIET });
    const name = derivedName(server);
    // Two open transactions hold both connections until they commit.
    const held = await Promise.all([db.transaction(), db.transaction()]);
    await waitForPoolPendingRequests(harness.recorder, name, 0);
    expect(sizesOf(await harness.points(), name)).toMatchObject({ used: 2, pending: 0, max: 2 });
    // tarn's acquire timeout is a setTimeout started by each acquire: faked from here on.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // knex reaches the pool a few turns after the query starts, and nothing is measured then:
    // tarn's own acquireRequest events say when all three asked.
    let requested = 0;
    const allRequested = new Promise<void>((resolve) => tarnPoolOf(db).on('acquireRequest', () => ++requested === 3 && resolve()));
    const tracer = harness.tracerProvider.getTracer('test');
    const waiting = tracer.startActiveSpan('request', (span) => Promise.allSettled([1, 2, 3].map((n) => db.raw('select ?::int as n', [n]))).finally(() => span.end()));
    await allRequested;
    await waitForPoolPendingRequests(harness.recorder, name, 3);
    vi.advanceTimersByTime(1_000);
    await waitForPoolTimeout(harness.recorder, name, { count: 3 });
    await waitForPoolAcquire(harness.recorder, name, { failed: true, errorType: 'TimeoutError' });
    await waitForPoolPendingRequests(harness.recorder, name, 0);
    const results = await waiting;
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : r.status))).toEqual(['KnexTimeoutError', 'KnexTimeoutError', 'KnexTimeoutError']);
    const errors = (await harness.points(METRIC_POOL_ERRORS)).map((p) => [p.attributes[ATTR_POOL_NAME], p.attributes[ATTR_POOL_OPERATION], p.attributes[ATTR_ERROR_TYPE], p.value]);
    expect(errors).toEqual([[name, 'acquire', 'TimeoutError', 3]]);
    vi.useRealTimers();
    await Promise.all(held.map((trx) => trx.commit()));
    await waitForPoolPendingRequests(harness.recorder, name, 0);
    expect(sizesOf(await harness.points(), name)).toEqual(ownTarnSizes(tarnPoolOf(db)));
    await db.destroy();
    await waitForPoolStopped(harness.recorder, name);
  });

  it('a wrong password: the failed create is counted with PostgreSQL\'s error code, and no password reaches telemetry', async () => {
    harness = new Harness();
    const knex = await load(harness);
    const wrong = `wrong-${server.password}`;
    const url = `postgres://${server.user}:${wrong}@${server.host}:${server.port}/${server.database}`;
    const db: Knex = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 }, log: QUIET });
    const name = derivedName(server);
    await waitForPoolReady(harness.recorder, name);
    const error = (await db.raw('select 1').catch((e: unknown) => e)) as Error & { code?: string };
    // knex propagates a failed create to the acquire waiting for it. PostgreSQL's SQLSTATE
    // (28P01) starts with a digit, which the kit's error-code rule does not take for a code:
    // error.type is the driver's error class.
    expect([error.constructor.name, error.code]).toEqual(['DatabaseError', '28P01']);
    const errors = (await harness.points(METRIC_POOL_ERRORS)).map((p) => [p.attributes[ATTR_POOL_OPERATION], p.attributes[ATTR_ERROR_TYPE], p.value]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['create', 'DatabaseError', 1],
        ['acquire', 'DatabaseError', 1],
      ]),
    );
    await db.destroy();
    await waitForPoolStopped(harness.recorder, name);
    const exported = await everythingExported(harness);
    expect(exported).not.toContain(wrong);
    expect(exported).not.toContain(server.password);
    expect(await poolNamesExported(harness)).toEqual([name]);
  });
});

it('a knex pool given a name with namePool(db.client, name) takes it over the derived one', async () => {
  harness = new Harness();
  const db = pgKnex(await requireKnex(harness), server, { min: 0, max: 1 });
  namePool(db.client, 'orders-db');
  await waitForPoolReady(harness.recorder, 'orders-db');
  await db.raw('select 1');
  await db.destroy();
  await waitForPoolStopped(harness.recorder, 'orders-db');
  expect(await poolNamesExported(harness)).toEqual(['orders-db']);
  // knex.initialize() after a destroy creates a new pool of the same client: it starts and
  // stops again under the client's name.
  db.initialize();
  await db.raw('select 1');
  await db.destroy();
  const lifecycle = harness.events(EVENT_LIFECYCLE).map((e) => [e.attributes[ATTR_POOL_NAME], e.attributes[ATTR_LIFECYCLE_STATE]]);
  expect(lifecycle).toEqual([
    ['orders-db', 'started'],
    ['orders-db', 'stopped'],
    ['orders-db', 'started'],
    ['orders-db', 'stopped'],
  ]);
});

it('knex and tarn required and imported in one process: each patched once, every query counted once', async () => {
  harness = new Harness();
  await requireKnex(harness);
  const db = pgKnex(await importKnex(harness), server, { min: 0, max: 1 });
  await db.raw('select 1');
  await db.raw('select 2');
  const waits = (await harness.points(METRIC_POOL_WAIT_TIME)).map((p) => [p.attributes[ATTR_POOL_NAME], p.value]);
  expect(waits).toEqual([[derivedName(server), 2]]);
  await db.destroy();
  await waitForPoolStopped(harness.recorder, derivedName(server));
});
