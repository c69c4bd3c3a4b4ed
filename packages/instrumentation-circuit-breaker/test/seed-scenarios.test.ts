// The seed scenarios of issue 5, written against @dyntel/test-span-assertions: every wait is
// for the telemetry that signals the step (a state-change event, a span, a metric), never
// for time. Timers are faked where the reset timeout is the feature.
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { installRecorder } from '@dyntel/test-span-assertions';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE, ATTR_CIRCUIT_BREAKER_STATE, ATTR_ERROR_TYPE, ATTR_FALLBACK_EXECUTED, CircuitBreakerOutcome, CircuitBreakerState, EVENT_CIRCUIT_BREAKER_STATE_CHANGE, METRIC_CIRCUIT_BREAKER_CALL_DURATION, SPAN_CIRCUIT_BREAKER_CALL } from '@dyntel/semconv';
import { spanName } from '@dyntel/instrumentation-kit';
import type CircuitBreakerClass from 'opossum';
import type * as Cockatiel from 'cockatiel';
import type * as Http from 'node:http';
import { CircuitBreakerInstrumentation } from '../src/instrumentation';
import { nameCircuitBreaker } from '../src/naming';
import { packageInfo } from '@dyntel/test-support';
import { COCKATIEL_PACKAGES, OPOSSUM_PACKAGES } from './support/harness';

const require = createRequire(import.meta.url);
// The recorder owns the global providers; the instrumentation and the HTTP instrumentation
// use them through the API like any application's would.
const recorder = installRecorder();
const instrumentation = new CircuitBreakerInstrumentation({ enabled: false });
const httpInstrumentation = new HttpInstrumentation();
const http = require('node:http') as typeof Http;

function patch(name: 'opossum' | 'cockatiel', pkg: string, moduleExports: unknown): () => void {
  const definition = instrumentation.getModuleDefinitions().find((d) => d.name === name)!;
  const { version } = packageInfo(pkg);
  definition.patch!(moduleExports, version);
  return () => definition.unpatch!(moduleExports, version);
}

const stateChange = (name: string, state: CircuitBreakerState) => ({
  name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
  attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: state },
});

const callSpan = (name: string, outcome: CircuitBreakerOutcome, extra: Record<string, unknown> = {}) => ({
  name: spanName(SPAN_CIRCUIT_BREAKER_CALL, name),
  attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: outcome, ...extra },
});

/** Serves `handler` on an ephemeral port, GETs it once through the instrumented client, and closes. */
async function serveOnce(handler: () => Promise<string>): Promise<string> {
  const server = http.createServer((_req, res) => {
    handler().then(
      (body) => res.end(body),
      () => {
        res.statusCode = 503;
        res.end('unavailable');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/checkout' }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

class Unavailable extends Error {}

afterEach(() => {
  vi.useRealTimers();
  recorder.reset();
});
afterAll(() => httpInstrumentation.disable());

describe.each(OPOSSUM_PACKAGES)('opossum (%s)', (pkg) => {
  let CircuitBreaker: typeof CircuitBreakerClass;
  let unpatch: () => void;
  beforeAll(() => {
    CircuitBreaker = require(pkg) as typeof CircuitBreakerClass;
    unpatch = patch('opossum', pkg, CircuitBreaker);
  });
  afterAll(() => unpatch());

  const checkout = (options: object = {}) =>
    new CircuitBreaker(async (fail: boolean) => (fail ? Promise.reject(new Unavailable('inventory down')) : 'in stock'), {
      name: 'inventory',
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      resetTimeout: 30_000,
      ...options,
    });

  it('three failures open the breaker', async () => {
    const breaker = checkout();
    const opened = recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.OPEN));
    for (let i = 0; i < 3; i++) await breaker.fire(true).catch(() => undefined);
    const event = await opened;

    expect(event.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE]: CircuitBreakerState.CLOSED,
      [ATTR_ERROR_TYPE]: 'Unavailable',
    });
    await recorder.waitForSpans(callSpan('inventory', CircuitBreakerOutcome.FAILURE, { [ATTR_ERROR_TYPE]: 'Unavailable' }), { count: 3 });
    await recorder.waitForMetric(METRIC_CIRCUIT_BREAKER_CALL_DURATION, {
      where: { [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.FAILURE },
      atLeast: 3,
    });
    breaker.shutdown();
  });

  it('a half-open probe after the reset timeout closes the breaker again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const breaker = checkout({ resetTimeout: 10_000 });
    breaker.open();
    const halfOpen = recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.HALF_OPEN));
    vi.advanceTimersByTime(10_000);
    await halfOpen;
    const closed = recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.CLOSED));
    await expect(breaker.fire(false)).resolves.toBe('in stock');
    await closed;

    await recorder.waitForSpan(
      callSpan('inventory', CircuitBreakerOutcome.SUCCESS, { [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.HALF_OPEN }),
    );
    const states = recorder
      .events()
      .filter((e) => e.name === EVENT_CIRCUIT_BREAKER_STATE_CHANGE && e.source === 'log')
      .map((e) => e.attributes[ATTR_CIRCUIT_BREAKER_STATE]);
    expect(states).toEqual([CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED]);
    breaker.shutdown();
  });

  it('a call while open is rejected', async () => {
    const breaker = checkout();
    breaker.open();
    await expect(breaker.fire(false)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    await recorder.waitForSpan({
      ...callSpan('inventory', CircuitBreakerOutcome.REJECTED, {
        [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.OPEN,
        [ATTR_ERROR_TYPE]: 'EOPENBREAKER',
      }),
      status: 'error',
    });
    breaker.shutdown();
  });

  it('a fallback answers the caller', async () => {
    const breaker = checkout();
    breaker.fallback(() => 'from cache');
    await expect(breaker.fire(true)).resolves.toBe('from cache');
    await recorder.waitForSpan({
      ...callSpan('inventory', CircuitBreakerOutcome.FAILURE, { [ATTR_FALLBACK_EXECUTED]: true }),
      status: 'unset',
    });
    breaker.shutdown();
  });

  it('a breaker inside an HTTP request handler nests its span under the request span', async () => {
    const breaker = checkout();
    await expect(serveOnce(() => breaker.fire(false))).resolves.toBe('in stock');
    await recorder.waitForTrace({
      name: /^GET/,
      kind: 'client',
      children: [{ name: /^GET/, kind: 'server', children: [callSpan('inventory', CircuitBreakerOutcome.SUCCESS)] }],
    });
    breaker.shutdown();
  });
});

describe.each(COCKATIEL_PACKAGES)('cockatiel (%s)', (pkg) => {
  let cockatiel: typeof Cockatiel;
  let unpatch: () => void;
  beforeAll(async () => {
    cockatiel = (await import(pkg)) as typeof Cockatiel;
    unpatch = patch('cockatiel', pkg, cockatiel);
  });
  afterAll(() => unpatch());

  const HALF_OPEN_AFTER = 10_000;
  const checkout = () =>
    nameCircuitBreaker(
      cockatiel.circuitBreaker(cockatiel.handleType(Unavailable), {
        halfOpenAfter: HALF_OPEN_AFTER,
        breaker: new cockatiel.ConsecutiveBreaker(3),
      }),
      'inventory',
    );
  const call = (policy: Cockatiel.CircuitBreakerPolicy, fail: boolean) =>
    policy.execute(async () => (fail ? Promise.reject(new Unavailable('inventory down')) : 'in stock'));

  it('three failures open the breaker', async () => {
    const policy = checkout();
    const opened = recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.OPEN));
    for (let i = 0; i < 3; i++) await call(policy, true).catch(() => undefined);
    const event = await opened;
    expect(event.attributes).toMatchObject({ [ATTR_ERROR_TYPE]: 'Unavailable' });
    await recorder.waitForSpans(callSpan('inventory', CircuitBreakerOutcome.FAILURE), { count: 3 });
  });

  it('a half-open probe after halfOpenAfter closes the breaker again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const policy = checkout();
    for (let i = 0; i < 3; i++) await call(policy, true).catch(() => undefined);
    await recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.OPEN));
    vi.advanceTimersByTime(HALF_OPEN_AFTER);
    const closed = recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.CLOSED));
    await expect(call(policy, false)).resolves.toBe('in stock');
    await closed;
    await recorder.waitForEvent(stateChange('inventory', CircuitBreakerState.HALF_OPEN));
    await recorder.waitForSpan(callSpan('inventory', CircuitBreakerOutcome.SUCCESS, { [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.OPEN }));
  });

  it('a call while open is rejected', async () => {
    const policy = checkout();
    for (let i = 0; i < 3; i++) await call(policy, true).catch(() => undefined);
    await expect(call(policy, false)).rejects.toBeInstanceOf(cockatiel.BrokenCircuitError);
    await recorder.waitForSpan({
      ...callSpan('inventory', CircuitBreakerOutcome.REJECTED, { [ATTR_ERROR_TYPE]: 'BrokenCircuitError' }),
      status: 'error',
    });
  });

  it('a breaker inside an HTTP request handler nests its span under the request span', async () => {
    const policy = checkout();
    await expect(serveOnce(() => call(policy, false))).resolves.toBe('in stock');
    await recorder.waitForTrace({
      name: /^GET/,
      kind: 'client',
      children: [{ name: /^GET/, kind: 'server', children: [callSpan('inventory', CircuitBreakerOutcome.SUCCESS)] }],
    });
  });
});
