import { afterEach, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_STATE, METRIC_CIRCUIT_BREAKER_STATUS } from '@dyntel/semconv';
import type * as Cockatiel from 'cockatiel';
import type CircuitBreakerClass from 'opossum';
import { CircuitBreakerInstrumentation } from './instrumentation';
import { nameCircuitBreaker } from './naming';
import type { CircuitBreakerCallEndInfo, CircuitBreakerCallInfo } from './types';
import { Harness } from '../test/support/harness';

let harness: Harness;
afterEach(() => harness?.close());

describe('config', () => {
  it.each([
    [{ requestHook: 'yes' }, '@dyntel/instrumentation-circuit-breaker: invalid config.requestHook: "yes"; expected a function or undefined'],
    [{ responseHook: 1 }, '@dyntel/instrumentation-circuit-breaker: invalid config.responseHook: 1; expected a function or undefined'],
    [{ breakerName: {} }, '@dyntel/instrumentation-circuit-breaker: invalid config.breakerName: {}; expected a function or undefined'],
    [{ requireParentSpan: 'no' }, '@dyntel/instrumentation-circuit-breaker: invalid config.requireParentSpan: "no"; expected true, false or undefined'],
  ])('rejects %j with a clear TypeError', (config, message) => {
    expect(() => new CircuitBreakerInstrumentation(config as never)).toThrow(message);
  });

  it('supports opossum >=6 <11 and cockatiel >=3 <5', () => {
    const definitions = new CircuitBreakerInstrumentation({ enabled: false }).getModuleDefinitions();
    expect(definitions.map((d) => [d.name, d.supportedVersions])).toEqual([
      ['opossum', ['>=6 <11']],
      ['cockatiel', ['>=3 <5']],
    ]);
  });
});

describe('hooks', () => {
  it('requestHook and responseHook add attributes and are told about the call', async () => {
    const seen: (CircuitBreakerCallInfo | CircuitBreakerCallEndInfo)[] = [];
    harness = new Harness({
      requestHook: (span, info) => {
        seen.push(info);
        span.setAttribute('app.start', info.state);
      },
      responseHook: (span, info) => {
        seen.push(info);
        span.setAttribute('app.outcome', info.outcome);
      },
    });
    const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>('opossum');
    const breaker = new CircuitBreaker(async () => Promise.reject(new RangeError('bad')), { name: 'hooked' });
    await expect(breaker.fire()).rejects.toThrow('bad');
    breaker.shutdown();

    expect(harness.spans()[0]!.attributes).toMatchObject({ 'app.start': 'closed', 'app.outcome': 'failure' });
    expect(seen).toMatchObject([
      { library: 'opossum', breaker, name: 'hooked', state: 'closed' },
      { library: 'opossum', breaker, name: 'hooked', outcome: 'failure', rejected: true, fallbackExecuted: false, error: expect.any(RangeError) },
    ]);
  });
});

describe('requireParentSpan', () => {
  it('creates call spans only inside a span, and records metrics either way', async () => {
    harness = new Harness({ requireParentSpan: true });
    const cockatiel = await harness.cockatiel<typeof Cockatiel>('cockatiel');
    const policy = nameCircuitBreaker(
      cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 1_000, breaker: new cockatiel.ConsecutiveBreaker(3) }),
      'parented',
    );
    await policy.execute(() => 'outside');
    const parent = harness.tracerProvider.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), () => policy.execute(() => 'inside'));
    parent.end();

    const calls = harness.spans().filter((s) => s.name === 'circuit_breaker.call parented');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    const points = await harness.points('resilience.circuit_breaker.call.duration');
    expect(points.reduce((sum, p) => sum + p.value, 0)).toBe(2);
  });
});

describe('status metric', () => {
  const statusOf = async (name: string) =>
    Object.fromEntries(
      (await harness.points(METRIC_CIRCUIT_BREAKER_STATUS))
        .filter((p) => p.attributes[ATTR_CIRCUIT_BREAKER_NAME] === name)
        .map((p) => [p.attributes[ATTR_CIRCUIT_BREAKER_STATE], p.value]),
    );

  it('adds up breakers that share a name', async () => {
    harness = new Harness();
    const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>('opossum');
    const breakers = [0, 1, 2].map(() => new CircuitBreaker(async () => 'ok', { name: 'shared' }));
    for (const breaker of breakers) await breaker.fire();
    breakers[0]!.open();
    expect(await statusOf('shared')).toEqual({ closed: 2, open: 1, half_open: 0, forced_open: 0, disabled: 0 });
    for (const breaker of breakers) breaker.shutdown();
  });
});

describe('unpatch', () => {
  it('restores the prototypes: no own emit left on opossum, nothing recorded afterwards', async () => {
    harness = new Harness();
    const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>('opossum');
    const cockatiel = await harness.cockatiel<typeof Cockatiel>('cockatiel');
    const execute = cockatiel.CircuitBreakerPolicy.prototype.execute as unknown as { __original?: unknown };
    expect(Object.hasOwn(CircuitBreaker.prototype, 'emit')).toBe(true);
    expect(typeof execute.__original).toBe('function');

    await harness.close();
    expect(Object.hasOwn(CircuitBreaker.prototype, 'emit')).toBe(false);
    expect((CircuitBreaker.prototype.call as { __original?: unknown }).__original).toBeUndefined();
    expect((cockatiel.CircuitBreakerPolicy.prototype.execute as unknown as { __original?: unknown }).__original).toBeUndefined();

    harness = new Harness();
    const breaker = new CircuitBreaker(async () => 'ok', { name: 'plain' });
    await expect(breaker.fire()).resolves.toBe('ok');
    breaker.shutdown();
    expect(harness.spans()).toEqual([]);
  });
});
