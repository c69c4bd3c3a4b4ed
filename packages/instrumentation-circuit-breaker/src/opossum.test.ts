import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE, ATTR_CIRCUIT_BREAKER_STATE, ATTR_COMPONENT_KIND, ATTR_ERROR_TYPE, ATTR_FALLBACK_EXECUTED, CircuitBreakerOutcome, CircuitBreakerState, ComponentKind, DURATION_BUCKETS_SECONDS, EVENT_CIRCUIT_BREAKER_STATE_CHANGE, EVENT_HEALTH_CHECK, METRIC_CIRCUIT_BREAKER_CALL_DURATION, METRIC_CIRCUIT_BREAKER_STATE_CHANGES, METRIC_CIRCUIT_BREAKER_STATUS, METRIC_HEALTH_CHECK_DURATION, SPAN_CIRCUIT_BREAKER_CALL } from '@dyntel/semconv';
import { spanName } from '@dyntel/instrumentation-kit';
import type CircuitBreakerClass from 'opossum';
import { Harness, OPOSSUM_PACKAGES } from '../test/support/harness';


class NotFound extends Error {}
class Unavailable extends Error {}

describe.each(OPOSSUM_PACKAGES)('%s', (pkg) => {
  let harness: Harness;
  let CircuitBreaker: typeof CircuitBreakerClass;

  beforeEach(() => {
    harness = new Harness();
    CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>(pkg);
  });
  afterEach(() => harness.close());

  const only = <T>(items: T[]): T => {
    expect(items).toHaveLength(1);
    return items[0]!;
  };

  it('records a successful call: span, state at start, outcome, duration with bucket advice', async () => {
    const breaker = new CircuitBreaker(async (x: number) => x * 2, { name: 'inventory' });
    await expect(breaker.fire(21)).resolves.toBe(42);

    const span = only(harness.spans());
    expect(span.name).toBe(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'inventory'));
    expect(span.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory',
      [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.CLOSED,
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.SUCCESS,
      [ATTR_FALLBACK_EXECUTED]: false,
    });
    expect(span.attributes[ATTR_ERROR_TYPE]).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);

    const point = only(await harness.points(METRIC_CIRCUIT_BREAKER_CALL_DURATION));
    expect(point.attributes).toEqual({
      [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory',
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.SUCCESS,
    });
    expect(point.value).toBe(1);
    expect(point.boundaries).toEqual(DURATION_BUCKETS_SECONDS);
    breaker.shutdown();
  });

  it('records a failure with its error type and an ERROR span', async () => {
    const breaker = new CircuitBreaker(async () => Promise.reject(new NotFound('gone')), { name: 'inventory' });
    await expect(breaker.fire()).rejects.toThrow('gone');

    const span = only(harness.spans());
    expect(span.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE,
      [ATTR_ERROR_TYPE]: 'NotFound',
    });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'gone' });
    expect(span.events.map((e) => e.name)).toContain('exception');
    breaker.shutdown();
  });

  it('records a timeout (opossum emits timeout then failure) as timeout with ETIMEDOUT', async () => {
    const breaker = new CircuitBreaker(() => new Promise(() => {}), { name: 'slow', timeout: 5 });
    const events: string[] = [];
    breaker.on('timeout', () => events.push('timeout'));
    breaker.on('failure', () => events.push('failure'));
    await expect(breaker.fire()).rejects.toMatchObject({ code: 'ETIMEDOUT' });

    expect(events).toEqual(['timeout', 'failure']);
    expect(only(harness.spans()).attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.TIMEOUT,
      [ATTR_ERROR_TYPE]: 'ETIMEDOUT',
    });
    breaker.shutdown();
  });

  it('matches failures to concurrent calls that settle out of order', async () => {
    const pending: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
    const breaker = new CircuitBreaker(
      () => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })),
      { name: 'inventory', volumeThreshold: 10 },
    );
    const [first, second, third] = [breaker.fire(), breaker.fire(), breaker.fire()];
    pending[2]!.reject(new NotFound('third'));
    await expect(third).rejects.toThrow('third');
    pending[0]!.resolve('first');
    await expect(first).resolves.toBe('first');
    pending[1]!.reject(new Unavailable('second'));
    await expect(second).rejects.toThrow('second');

    expect(harness.spans().map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      [CircuitBreakerOutcome.FAILURE, 'NotFound'],
      [CircuitBreakerOutcome.SUCCESS, undefined],
      [CircuitBreakerOutcome.FAILURE, 'Unavailable'],
    ]);
    breaker.shutdown();
  });

  it('matches failures to their calls when hundreds of calls are in flight, oldest and newest alike', async () => {
    const pending: ((error: Error) => void)[] = [];
    const breaker = new CircuitBreaker(() => new Promise<never>((_, reject) => pending.push(reject)), {
      name: 'inventory',
      timeout: false,
      volumeThreshold: 10_000,
    });
    const calls = Array.from({ length: 300 }, () => breaker.fire().catch(() => undefined));
    // Newest first, then the oldest: each error class tells which half its call was in.
    for (let i = pending.length - 1; i >= 0; i--) pending[i]!(i < 150 ? new NotFound('old') : new Unavailable('new'));
    await Promise.all(calls);

    const ended = harness.spans().map((s) => `${String(s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])} ${String(s.attributes[ATTR_ERROR_TYPE])}`);
    expect(ended).toEqual([...Array<string>(150).fill('failure Unavailable'), ...Array<string>(150).fill('failure NotFound')]);
    breaker.shutdown();
  });

  it('records a call refused by an open breaker as rejected (reject without failure)', async () => {
    const breaker = new CircuitBreaker(async () => 'ok', { name: 'inventory' });
    const failures: unknown[] = [];
    breaker.on('failure', (e) => failures.push(e));
    breaker.open();
    await expect(breaker.fire()).rejects.toMatchObject({ code: 'EOPENBREAKER' });

    expect(failures).toEqual([]);
    const span = only(harness.spans());
    expect(span.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.OPEN,
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.REJECTED,
      [ATTR_ERROR_TYPE]: 'EOPENBREAKER',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    breaker.shutdown();
  });

  it('records a full semaphore as rejected although opossum also emits failure', async () => {
    let release!: () => void;
    const breaker = new CircuitBreaker(() => new Promise<void>((resolve) => (release = resolve)), {
      name: 'narrow',
      capacity: 1,
    });
    const events: string[] = [];
    breaker.on('semaphoreLocked', () => events.push('semaphoreLocked'));
    breaker.on('failure', () => events.push('failure'));
    const first = breaker.fire();
    await expect(breaker.fire()).rejects.toMatchObject({ code: 'ESEMLOCKED' });
    release();
    await first;

    expect(events).toEqual(['semaphoreLocked', 'failure']);
    const outcomes = harness.spans().map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_ERROR_TYPE]]);
    expect(outcomes).toEqual([
      [CircuitBreakerOutcome.REJECTED, 'ESEMLOCKED'],
      [CircuitBreakerOutcome.SUCCESS, undefined],
    ]);
    breaker.shutdown();
  });

  it('records an errorFilter match as ignored: opossum emits success, the caller gets the error', async () => {
    const breaker = new CircuitBreaker(async () => Promise.reject(new NotFound('404')), {
      name: 'inventory',
      errorFilter: (error: unknown) => error instanceof NotFound,
    });
    const events: string[] = [];
    breaker.on('success', () => events.push('success'));
    breaker.on('failure', () => events.push('failure'));
    await expect(breaker.fire()).rejects.toBeInstanceOf(NotFound);

    expect(events).toEqual(['success']);
    const span = only(harness.spans());
    expect(span.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.IGNORED,
      [ATTR_ERROR_TYPE]: 'NotFound',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    breaker.shutdown();
  });

  it('marks a fallback that answered a failure: outcome failure, fallback executed, no ERROR status', async () => {
    const breaker = new CircuitBreaker(async () => Promise.reject(new NotFound('gone')), { name: 'inventory' });
    breaker.fallback(() => 'cached');
    await expect(breaker.fire()).resolves.toBe('cached');

    const span = only(harness.spans());
    expect(span.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE,
      [ATTR_FALLBACK_EXECUTED]: true,
      [ATTR_ERROR_TYPE]: 'NotFound',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    breaker.shutdown();
  });

  it('marks a fallback that answered a rejection while open', async () => {
    const breaker = new CircuitBreaker(async () => 'live', { name: 'inventory' });
    breaker.fallback(() => 'cached');
    breaker.open();
    await expect(breaker.fire()).resolves.toBe('cached');

    expect(only(harness.spans()).attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.REJECTED,
      [ATTR_FALLBACK_EXECUTED]: true,
    });
    breaker.shutdown();
  });

  it('observes closed → open → half_open → closed in order, the half-open on its timer', async () => {
    const breaker = new CircuitBreaker(async (fail: boolean) => (fail ? Promise.reject(new NotFound('x')) : 'ok'), {
      name: 'inventory',
      resetTimeout: 1,
      errorThresholdPercentage: 1,
    });
    const opened = harness.waitForEvent(EVENT_CIRCUIT_BREAKER_STATE_CHANGE, { [ATTR_CIRCUIT_BREAKER_STATE]: 'open' });
    const halfOpened = harness.waitForEvent(EVENT_CIRCUIT_BREAKER_STATE_CHANGE, { [ATTR_CIRCUIT_BREAKER_STATE]: 'half_open' });
    await expect(breaker.fire(true)).rejects.toThrow('x');
    await opened;
    await halfOpened;
    await expect(breaker.fire(false)).resolves.toBe('ok');

    const changes = harness.events(EVENT_CIRCUIT_BREAKER_STATE_CHANGE).map((r) => [
      r.attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE],
      r.attributes[ATTR_CIRCUIT_BREAKER_STATE],
      r.severityText,
    ]);
    expect(changes).toEqual([
      ['closed', 'open', 'ERROR'],
      ['open', 'half_open', 'WARN'],
      ['half_open', 'closed', 'INFO'],
    ]);
    const openEvent = harness.events(EVENT_CIRCUIT_BREAKER_STATE_CHANGE)[0]!;
    expect(openEvent.attributes).toMatchObject({ [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_ERROR_TYPE]: 'NotFound' });

    // The failing call's span carries the open event, the probe's carries the close.
    const [failing, probe] = harness.spans();
    expect(failing!.events.map((e) => e.name)).toContain(EVENT_CIRCUIT_BREAKER_STATE_CHANGE);
    expect(probe!.attributes[ATTR_CIRCUIT_BREAKER_STATE]).toBe(CircuitBreakerState.HALF_OPEN);
    expect(probe!.events.find((e) => e.name === EVENT_CIRCUIT_BREAKER_STATE_CHANGE)?.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_STATE]: 'closed',
    });

    const counts = (await harness.points(METRIC_CIRCUIT_BREAKER_STATE_CHANGES)).map((p) => [
      p.attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE],
      p.attributes[ATTR_CIRCUIT_BREAKER_STATE],
      p.value,
    ]);
    expect(counts).toEqual([
      ['closed', 'open', 1],
      ['open', 'half_open', 1],
      ['half_open', 'closed', 1],
    ]);
    breaker.shutdown();
  });

  it('reports status 1 for the current state and 0 for the others', async () => {
    const breaker = new CircuitBreaker(async () => 'ok', { name: 'status-probe' });
    await breaker.fire();
    breaker.open();
    const status = (await harness.points(METRIC_CIRCUIT_BREAKER_STATUS))
      .filter((p) => p.attributes[ATTR_CIRCUIT_BREAKER_NAME] === 'status-probe')
      .map((p) => [p.attributes[ATTR_CIRCUIT_BREAKER_STATE], p.value]);
    expect(Object.fromEntries(status)).toEqual({ closed: 0, open: 1, half_open: 0, forced_open: 0, disabled: 0 });
    breaker.shutdown();
  });

  it('shutdown() forces the breaker open and removes listeners; later calls are rejected', async () => {
    const breaker = new CircuitBreaker(async () => 'ok', { name: 'retired' });
    breaker.on('success', () => {});
    breaker.shutdown();
    expect(breaker.listenerCount('success')).toBe(0);
    await expect(breaker.fire()).rejects.toMatchObject({ code: 'ESHUTDOWN' });

    const change = only(harness.events(EVENT_CIRCUIT_BREAKER_STATE_CHANGE));
    expect(change.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE]: 'closed',
      [ATTR_CIRCUIT_BREAKER_STATE]: 'forced_open',
    });
    expect(only(harness.spans()).attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.FORCED_OPEN,
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.REJECTED,
      [ATTR_ERROR_TYPE]: 'ESHUTDOWN',
    });
  });

  it('reports disable() and enable() as state changes; a disabled breaker passes failures through', async () => {
    const breaker = new CircuitBreaker(async () => Promise.reject(new NotFound('x')), { name: 'bypass' });
    breaker.disable();
    await expect(breaker.fire()).rejects.toThrow('x');
    breaker.enable();

    const changes = harness.events(EVENT_CIRCUIT_BREAKER_STATE_CHANGE).map((r) => r.attributes[ATTR_CIRCUIT_BREAKER_STATE]);
    expect(changes).toEqual(['disabled', 'closed']);
    expect(only(harness.spans()).attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.DISABLED,
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE,
    });
    breaker.shutdown();
  });

  it('times health checks and attributes the open they cause to their error', async () => {
    const breaker = new CircuitBreaker(async () => 'ok', { name: 'checked' });
    const opened = harness.waitForEvent(EVENT_CIRCUIT_BREAKER_STATE_CHANGE, { [ATTR_CIRCUIT_BREAKER_STATE]: 'open' });
    breaker.healthCheck(() => Promise.reject(new NotFound('unhealthy')), 60_000);
    const open = await opened;

    expect(open.attributes[ATTR_ERROR_TYPE]).toBe('NotFound');
    const check = only(harness.events(EVENT_HEALTH_CHECK));
    expect(check.severityText).toBe('WARN');
    expect(check.attributes).toMatchObject({
      [ATTR_COMPONENT_KIND]: ComponentKind.CIRCUIT_BREAKER,
      [ATTR_CIRCUIT_BREAKER_NAME]: 'checked',
      [ATTR_ERROR_TYPE]: 'NotFound',
    });
    const point = only(await harness.points(METRIC_HEALTH_CHECK_DURATION));
    expect(point.attributes).toEqual({
      [ATTR_COMPONENT_KIND]: ComponentKind.CIRCUIT_BREAKER,
      [ATTR_CIRCUIT_BREAKER_NAME]: 'checked',
      [ATTR_ERROR_TYPE]: 'NotFound',
    });
    breaker.shutdown();
  });

  it('drops generated names: an anonymous action gets a UUID name, which appears nowhere', async () => {
    const breaker = new CircuitBreaker(() => Promise.resolve('ok'));
    expect(breaker.name).toMatch(/^[0-9a-f-]{36}$/);
    await breaker.fire();
    const span = only(harness.spans());
    expect(span.name).toBe(SPAN_CIRCUIT_BREAKER_CALL);
    expect(span.attributes[ATTR_CIRCUIT_BREAKER_NAME]).toBeUndefined();
    const point = only(await harness.points(METRIC_CIRCUIT_BREAKER_CALL_DURATION));
    expect(point.attributes[ATTR_CIRCUIT_BREAKER_NAME]).toBeUndefined();
    breaker.shutdown();
  });

  it('records a timeout answered by a fallback, and fallbacks that reject or throw', async () => {
    const breaker = new CircuitBreaker(() => new Promise(() => {}), { name: 'slow', timeout: 5 });
    breaker.fallback(() => 'late answer');
    await expect(breaker.fire()).resolves.toBe('late answer');
    const rejecting = new CircuitBreaker(async () => Promise.reject(new NotFound('gone')), { name: 'rejecting-fallback' });
    rejecting.fallback(() => Promise.reject(new RangeError('fallback failed too')));
    await expect(rejecting.fire()).rejects.toThrow('fallback failed too');
    // A fallback that throws synchronously: opossum emits no `fallback` event for it.
    const throwing = new CircuitBreaker(async () => Promise.reject(new NotFound('gone')), { name: 'throwing-fallback' });
    throwing.fallback(() => {
      throw new RangeError('fallback threw');
    });
    await expect(throwing.fire()).rejects.toThrow('fallback threw');

    const rows = harness
      .spans()
      .map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_FALLBACK_EXECUTED], s.attributes[ATTR_ERROR_TYPE], s.status.code]);
    expect(rows).toEqual([
      [CircuitBreakerOutcome.TIMEOUT, true, 'ETIMEDOUT', SpanStatusCode.UNSET],
      [CircuitBreakerOutcome.FAILURE, true, 'NotFound', SpanStatusCode.ERROR],
      [CircuitBreakerOutcome.FAILURE, false, 'NotFound', SpanStatusCode.ERROR],
    ]);
    for (const b of [breaker, rejecting, throwing]) b.shutdown();
  });

  it('records a fallback breaker as its own call, nested under the first', async () => {
    const backup = new CircuitBreaker(async () => 'backup', { name: 'backup' });
    const primary = new CircuitBreaker(async () => Promise.reject(new NotFound('down')), { name: 'primary' });
    primary.fallback(backup);
    await expect(primary.fire()).resolves.toBe('backup');

    const [inner, outer] = harness.spans();
    expect([inner!.name, outer!.name]).toEqual([spanName(SPAN_CIRCUIT_BREAKER_CALL, 'backup'), spanName(SPAN_CIRCUIT_BREAKER_CALL, 'primary')]);
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    expect(outer!.attributes).toMatchObject({ [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE, [ATTR_FALLBACK_EXECUTED]: true });
    expect(inner!.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME]).toBe(CircuitBreakerOutcome.SUCCESS);
    primary.shutdown();
    backup.shutdown();
  });

  it('records an action that throws synchronously as a failure', async () => {
    const breaker = new CircuitBreaker(() => {
      throw new NotFound('sync');
    }, { name: 'sync' });
    await expect(breaker.fire()).rejects.toThrow('sync');
    expect(only(harness.spans()).attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE,
      [ATTR_ERROR_TYPE]: 'NotFound',
    });
    breaker.shutdown();
  });

  it('records cache hits as successes', async () => {
    let runs = 0;
    const breaker = new CircuitBreaker(async () => ++runs, { name: 'cached', cache: true });
    await expect(breaker.fire()).resolves.toBe(1);
    await expect(breaker.fire()).resolves.toBe(1);
    expect(runs).toBe(1);
    expect(harness.spans().map((s) => s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])).toEqual([
      CircuitBreakerOutcome.SUCCESS,
      CircuitBreakerOutcome.SUCCESS,
    ]);
    breaker.shutdown();
  });

  it.skipIf(pkg === 'opossum-v6' || pkg === 'opossum-v7')('records a coalesced call like the call it shares a promise with', async () => {
    let fail!: (error: Error) => void;
    // `coalesce` (opossum 8+) is missing from @types/opossum 8.
    const options = { name: 'coalesced', coalesce: true } as CircuitBreakerClass.Options;
    const breaker = new CircuitBreaker((_key: string) => new Promise((_, reject) => (fail = reject)), options);
    const leader = breaker.fire('same');
    const follower = breaker.fire('same');
    fail(new NotFound('gone'));
    await expect(leader).rejects.toThrow('gone');
    await expect(follower).rejects.toThrow('gone');
    expect(harness.spans().map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      [CircuitBreakerOutcome.FAILURE, 'NotFound'],
      [CircuitBreakerOutcome.FAILURE, 'NotFound'],
    ]);
    breaker.shutdown();
  });

  it('returns the same promise wherever opossum does: cache hits and coalesced calls', async () => {
    // What opossum itself returns, through the unwrapped `call`.
    const bareCall = (CircuitBreaker.prototype.call as unknown as { __original: (this: unknown, ...args: unknown[]) => Promise<unknown> }).__original;
    const cases: CircuitBreakerClass.Options[] = [{ cache: true }];
    if (pkg !== 'opossum-v6' && pkg !== 'opossum-v7') cases.push({ coalesce: true } as CircuitBreakerClass.Options);
    for (const options of cases) {
      const bare = new CircuitBreaker(async (x: number) => x, { ...options, name: 'bare' });
      await bareCall.call(bare, bare, 1);
      const bareSame = bareCall.call(bare, bare, 1) === bareCall.call(bare, bare, 1);
      const breaker = new CircuitBreaker(async (x: number) => x, { ...options, name: 'same' });
      await breaker.fire(1);
      const first = breaker.fire(1);
      const second = breaker.fire(1);
      expect(bareSame).toBe(true);
      expect(second).toBe(first);
      await expect(first).resolves.toBe(1);
      bare.shutdown();
      breaker.shutdown();
    }
    expect(harness.spans().filter((s) => s.name.endsWith(' same')).map((s) => s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])).toEqual(
      Array(3 * cases.length).fill(CircuitBreakerOutcome.SUCCESS),
    );
  });

  it('returns the thenable a disabled breaker passes through untouched, settled or not', async () => {
    const answer = { then: (resolve: (value: number) => void) => resolve(42) };
    const never = { then: () => {} };
    for (const thenable of [answer, never]) {
      const breaker = new CircuitBreaker(() => thenable as unknown as Promise<number>, { name: 'passthrough' });
      breaker.disable();
      expect(breaker.fire()).toBe(thenable);
      breaker.shutdown();
    }
    await expect(Promise.resolve(answer)).resolves.toBe(42);
    expect(harness.spans().map((s) => s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])).toEqual([
      CircuitBreakerOutcome.SUCCESS,
      CircuitBreakerOutcome.SUCCESS,
    ]);
  });

  it('leaves breaker.action to the application: listeners and the action see its own function, a read-only one still records', async () => {
    const seen: unknown[] = [];
    // `action` is a public property of opossum's breakers that @types/opossum leaves out.
    const actionOf = (b: object): unknown => (b as { action: unknown }).action;
    const breaker: CircuitBreakerClass = new CircuitBreaker(async (): Promise<number> => seen.push(actionOf(breaker)), { name: 'own-action' });
    const action = actionOf(breaker);
    breaker.on('fire', () => seen.push(actionOf(breaker)));
    await breaker.fire();
    expect(seen).toEqual([action, action]);
    expect(actionOf(breaker)).toBe(action);
    const fixed = new CircuitBreaker(async () => 'fixed', { name: 'read-only' });
    Object.defineProperty(fixed, 'action', { writable: false });
    await expect(fixed.fire()).resolves.toBe('fixed');
    expect(harness.spans().map((s) => s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])).toEqual([CircuitBreakerOutcome.SUCCESS, CircuitBreakerOutcome.SUCCESS]);
    breaker.shutdown();
    fixed.shutdown();
  });

  it('keeps `this`, arguments and results of call(context, ...args)', async () => {
    const target = { base: 40 };
    const breaker = new CircuitBreaker(function (this: typeof target, a: number, b: number) {
      return Promise.resolve(this.base + a + b);
    }, { name: 'ctx' });
    await expect(breaker.call(target, 1, 1)).resolves.toBe(42);
    breaker.shutdown();
  });
});
