import { SpanStatusCode, type Meter, type Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import {
  ATTR_COMPONENT_KIND,
  ATTR_ERROR_TYPE,
  ATTR_LIFECYCLE_STATE,
  ATTR_POOL_NAME,
  ComponentKind,
  EVENT_LIFECYCLE,
  LifecycleState,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_TIMEOUTS,
  METRIC_POOL_WAIT_TIME,
  NAME_LENGTH_LIMIT,
  Severity,
  SPAN_POOL_ACQUIRE,
} from '@dyntel/semconv';
import { emitEvent, spanName } from '@dyntel/instrumentation-kit';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { WaitTimeoutError, waitForPoolAcquire, waitForPoolPendingRequests, waitForPoolReady, waitForPoolStopped, waitForPoolTimeout } from './index';

// Telemetry emitted the way the contract's pool section describes it, through the OpenTelemetry
// API directly: the pool instrumentation's own tests drive real pools through these waits.

/** Emits a pool's lifecycle event. */
function lifecycle(logger: Logger, pool: string, state: LifecycleState): void {
  emitEvent(logger as never, {
    name: EVENT_LIFECYCLE,
    severity: Severity.INFO,
    attributes: { [ATTR_COMPONENT_KIND]: ComponentKind.POOL, [ATTR_LIFECYCLE_STATE]: state, [ATTR_POOL_NAME]: pool },
  });
}

/** Ends a `pool.acquire {pool}` span; `error` is its error type when no connection was obtained. */
function acquire(tracer: Tracer, pool: string, error?: string): void {
  const span = tracer.startSpan(spanName(SPAN_POOL_ACQUIRE, pool), { attributes: { [ATTR_POOL_NAME]: pool } });
  if (error !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Pools' pending requests as an observable up-down counter, read from `pending` at collection. */
function pendingRequests(meter: Meter, pending: Map<string, number>): void {
  meter.createObservableUpDownCounter(METRIC_POOL_PENDING_REQUESTS, { unit: '{request}' }).addCallback((result) => {
    for (const [pool, count] of pending) result.observe(count, { [ATTR_POOL_NAME]: pool });
  });
}

const failure = async (wait: Promise<unknown>): Promise<WaitTimeoutError> => (await wait.catch((e: unknown) => e)) as WaitTimeoutError;

describe('waitForPoolReady and waitForPoolStopped', () => {
  it("resolve with that pool's started or stopped lifecycle event, ignoring other pools and components", async () => {
    const { recorder, logger } = privateSetup();
    const ready = waitForPoolReady(recorder, 'orders-db');
    const stopped = waitForPoolStopped(recorder, 'orders-db');
    setImmediate(() => {
      lifecycle(logger, 'cache', LifecycleState.STARTED);
      emitEvent(logger as never, {
        name: EVENT_LIFECYCLE,
        severity: Severity.INFO,
        attributes: { [ATTR_COMPONENT_KIND]: ComponentKind.CIRCUIT_BREAKER, [ATTR_LIFECYCLE_STATE]: LifecycleState.STARTED, [ATTR_POOL_NAME]: 'orders-db' },
      });
      lifecycle(logger, 'orders-db', LifecycleState.STARTED);
      lifecycle(logger, 'orders-db', LifecycleState.STOPPED);
    });
    expect((await ready).attributes).toEqual({ [ATTR_COMPONENT_KIND]: ComponentKind.POOL, [ATTR_LIFECYCLE_STATE]: LifecycleState.STARTED, [ATTR_POOL_NAME]: 'orders-db' });
    expect((await stopped).attributes).toMatchObject({ [ATTR_LIFECYCLE_STATE]: LifecycleState.STOPPED });
    // Already recorded.
    await expect(waitForPoolReady(recorder, 'cache')).resolves.toMatchObject({ attributes: { [ATTR_POOL_NAME]: 'cache' } });
  });

  it('find a pool by a name longer than the contract allows, as telemetry carries it cut', async () => {
    const { recorder, logger } = privateSetup();
    const long = 'orders-db-'.repeat(20);
    lifecycle(logger, long.slice(0, NAME_LENGTH_LIMIT), LifecycleState.STARTED);
    await expect(waitForPoolReady(recorder, long)).resolves.toBeDefined();
  });

  it("on timeout list the pool's lifecycle and other pools that started, names escaped", async () => {
    const { recorder, logger } = privateSetup();
    lifecycle(logger, 'orders-db', LifecycleState.STOPPED);
    lifecycle(logger, 'cache\u202e', LifecycleState.STARTED);
    const error = await failure(waitForPoolReady(recorder, 'orders-db', { timeoutMillis: 25 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toContain('waitForPoolReady timed out after 25 ms.\n\nExpected pool "orders-db" to be started, i.e. an event matching:');
    expect(error.message).toContain('Lifecycle of pool "orders-db" (1):\n  - "stopped"');
    expect(error.message).toContain('Other pools started (1):\n  - "cache\\u202e"');
    expect(error.stack?.split('\n').find((line) => line.startsWith('    at '))).toContain('pool-waits.test.ts');
  });

  it('reject a pool name that is not a non-empty string', async () => {
    const { recorder } = privateSetup();
    await expect(waitForPoolReady(recorder, '')).rejects.toThrow(`waitForPoolReady: invalid pool name: ""; expected the pool's name, a non-empty string`);
    await expect(waitForPoolStopped(recorder, 42 as never)).rejects.toThrow(`waitForPoolStopped: invalid pool name: 42; expected the pool's name, a non-empty string`);
  });
});

describe('waitForPoolAcquire', () => {
  it('resolves with an acquire of that pool: any, obtained, failed, or failed with an error type', async () => {
    const { recorder, tracer } = privateSetup();
    const timedOut = waitForPoolAcquire(recorder, 'orders-db', { errorType: 'TimeoutError' });
    const anyFailure = waitForPoolAcquire(recorder, 'orders-db', { failed: true });
    setImmediate(() => {
      acquire(tracer, 'cache', 'TimeoutError');
      acquire(tracer, 'orders-db');
      acquire(tracer, 'orders-db', 'ECONNREFUSED');
      acquire(tracer, 'orders-db', 'TimeoutError');
    });
    expect(await timedOut).toMatchObject({ name: 'pool.acquire orders-db', status: { code: SpanStatusCode.ERROR }, attributes: { [ATTR_ERROR_TYPE]: 'TimeoutError' } });
    expect((await anyFailure).attributes).toMatchObject({ [ATTR_ERROR_TYPE]: 'ECONNREFUSED' });
    const obtained = await waitForPoolAcquire(recorder, 'orders-db', { failed: false });
    expect(obtained.attributes[ATTR_ERROR_TYPE]).toBeUndefined();
    await expect(waitForPoolAcquire(recorder, 'orders-db')).resolves.toBe(obtained);
  });

  it("on timeout lists the pool's acquires and other pools' failed ones", async () => {
    const { recorder, tracer } = privateSetup();
    acquire(tracer, 'orders-db');
    acquire(tracer, 'orders-db', 'ECONNREFUSED');
    acquire(tracer, 'cache', 'TimeoutError');
    const error = await failure(waitForPoolAcquire(recorder, 'orders-db', { errorType: 'TimeoutError', timeoutMillis: 25 }));
    expect(error.message).toContain('waitForPoolAcquire timed out after 25 ms.\n\nExpected an acquire from pool "orders-db" that failed with "TimeoutError", i.e. a span matching:');
    expect(error.message).toContain('Acquires from pool "orders-db" (2):\n  - "pool.acquire orders-db": obtained a connection\n  - "pool.acquire orders-db": failed with "ECONNREFUSED"');
    expect(error.message).toContain('Failed acquires from other pools (1):\n  - "pool.acquire cache": failed with "TimeoutError"');
  });

  it('rejects options that cannot describe an acquire', async () => {
    const { recorder } = privateSetup();
    await expect(waitForPoolAcquire(recorder, 'orders-db', { failed: 'yes' as never })).rejects.toThrow('waitForPoolAcquire: invalid failed: "yes"; expected true or false');
    await expect(waitForPoolAcquire(recorder, 'orders-db', { errorType: '' })).rejects.toThrow('waitForPoolAcquire: invalid errorType: ""; expected an error.type, a non-empty string');
    await expect(waitForPoolAcquire(recorder, 'orders-db', { failed: false, errorType: 'TimeoutError' })).rejects.toThrow(
      'waitForPoolAcquire: invalid failed: false; expected true or unset with an errorType: only a failed acquire has one',
    );
  });
});

describe('waitForPoolTimeout', () => {
  it("resolves once the pool's timeout counter reaches the count, ignoring other pools", async () => {
    const { recorder, meter } = privateSetup();
    const timeouts = meter.createCounter(METRIC_POOL_TIMEOUTS, { unit: '{timeout}' });
    const second = waitForPoolTimeout(recorder, 'orders-db', { count: 2 });
    timeouts.add(1, { [ATTR_POOL_NAME]: 'orders-db' });
    timeouts.add(5, { [ATTR_POOL_NAME]: 'cache' });
    await expect(waitForPoolTimeout(recorder, 'orders-db')).resolves.toMatchObject({ value: 1 });
    timeouts.add(1, { [ATTR_POOL_NAME]: 'orders-db' });
    expect(await second).toMatchObject({ name: METRIC_POOL_TIMEOUTS, value: 2, points: [{ attributes: { [ATTR_POOL_NAME]: 'orders-db' }, value: 2 }] });
  });

  it("on timeout gives the pool's count and other pools' counts", async () => {
    const { recorder, meter } = privateSetup();
    const timeouts = meter.createCounter(METRIC_POOL_TIMEOUTS, { unit: '{timeout}' });
    timeouts.add(1, { [ATTR_POOL_NAME]: 'orders-db' });
    timeouts.add(3, { [ATTR_POOL_NAME]: 'cache' });
    const error = await failure(waitForPoolTimeout(recorder, 'orders-db', { count: 2, timeoutMillis: 25 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toMatchInlineSnapshot(`
      "waitForPoolTimeout timed out after 25 ms.

      Expected pool "orders-db" to count 2 acquires timed out, i.e. metric "db.client.connection.timeouts" where attributes: { "db.client.connection.pool.name": "orders-db" }.

      Latest value 1 from 1 matching point(s) (measurements).
        ✓ { "db.client.connection.pool.name": "orders-db" } = 1
        ✗ { "db.client.connection.pool.name": "cache" } = 3 (does not match where)"
    `);
    expect(error.stack?.split('\n').find((line) => line.startsWith('    at '))).toContain('pool-waits.test.ts');
  });

  it('rejects a count that is not an integer from 1', async () => {
    const { recorder } = privateSetup();
    for (const bad of [0, 1.5, '2']) {
      await expect(waitForPoolTimeout(recorder, 'orders-db', { count: bad as never })).rejects.toThrow(/^waitForPoolTimeout: invalid count: .*; expected a number of timeouts, an integer from 1$/);
    }
  });
});

describe('waitForPoolPendingRequests', () => {
  it('reads the observable gauge again when the pool records something else, until pending requests rise then fall back to zero', async () => {
    const { recorder, meter } = privateSetup();
    const pending = new Map([['orders-db', 0], ['cache', 4]]);
    pendingRequests(meter, pending);
    const waitTime = meter.createHistogram(METRIC_POOL_WAIT_TIME, { unit: 's' });

    const queued = waitForPoolPendingRequests(recorder, 'orders-db', (n) => n >= 3);
    // Three borrowers queue; the pool records the wait of the one it served, as pools do.
    pending.set('orders-db', 3);
    waitTime.record(0.01, { [ATTR_POOL_NAME]: 'orders-db' });
    expect(await queued).toMatchObject({ value: 3, source: 'collection', points: [{ attributes: { [ATTR_POOL_NAME]: 'orders-db' } }] });

    const drained = waitForPoolPendingRequests(recorder, 'orders-db', 0);
    pending.set('orders-db', 0);
    waitTime.record(0.02, { [ATTR_POOL_NAME]: 'orders-db' });
    expect(await drained).toMatchObject({ value: 0, source: 'collection' });
  });

  it('is not satisfied by a pool that reports nothing, not even for zero; the timeout names what was read', async () => {
    const { recorder, meter } = privateSetup();
    pendingRequests(meter, new Map([['cache', 2]]));
    const error = await failure(waitForPoolPendingRequests(recorder, 'orders-db', 0, { timeoutMillis: 25 }));
    expect(error.message).toMatchInlineSnapshot(`
      "waitForPoolPendingRequests timed out after 25 ms.

      Expected pool "orders-db" to have no pending requests, i.e. metric "db.client.connection.pending_requests" where attributes: { "db.client.connection.pool.name": "orders-db" }.

      Latest value 0 from 0 matching point(s) (collection).
        ✗ { "db.client.connection.pool.name": "cache" } = 2 (does not match where)"
    `);
    const predicate = await failure(waitForPoolPendingRequests(recorder, 'cache', (n) => n > 5, { timeoutMillis: 25 }));
    expect(predicate.message).toContain('Expected pool "cache" to have a pending request count the given test accepts, i.e.');
    expect(predicate.message).toContain('Latest value 2 from 1 matching point(s) (collection).');
  });

  it('says so when no pool reported pending requests at all', async () => {
    const { recorder } = privateSetup();
    const error = await failure(waitForPoolPendingRequests(recorder, 'orders-db', 3, { timeoutMillis: 25 }));
    expect(error.message).toContain('Expected pool "orders-db" to have 3 pending requests, i.e.');
    expect(error.message).toContain('No measurement of "db.client.connection.pending_requests" was recorded.');
  });

  it('rejects a count that is not an integer from 0 or a function', async () => {
    const { recorder } = privateSetup();
    for (const bad of [-1, 0.5, '0', undefined]) {
      await expect(waitForPoolPendingRequests(recorder, 'orders-db', bad as never)).rejects.toThrow(
        /^waitForPoolPendingRequests: invalid pending requests: .*; expected a count \(an integer from 0\) or a function of the count$/,
      );
    }
  });
});
