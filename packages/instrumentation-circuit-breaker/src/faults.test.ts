import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiagLogLevel, createNoopMeter, diag, type Meter, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api';
import type CircuitBreakerClass from 'opossum';
import type * as Cockatiel from 'cockatiel';
import { Harness } from '../test/support/harness';
import type { CircuitBreakerInstrumentationConfig } from './types';

class Boom extends Error {}
class Downstream extends Error {}

// Counts the faults raised, to prove each test exercised its fault (the diagnostic log is
// rate-limited per label, so it cannot tell).
let faultsRaised = 0;
const boom = (): never => {
  faultsRaised += 1;
  throw new Boom('instrumentation fault');
};

/** A meter whose instruments throw on every measurement. */
function throwingInstrumentsMeter(): Meter {
  const instrument = { record: boom, add: boom, addCallback: boom, removeCallback: boom };
  return new Proxy(createNoopMeter(), { get: () => () => instrument });
}

/** A meter that cannot even create instruments. */
function throwingMeter(): Meter {
  return new Proxy(createNoopMeter(), { get: () => boom });
}

const faults: [string, (harness: Harness) => void, CircuitBreakerInstrumentationConfig][] = [
  ['a throwing requestHook', () => {}, { requestHook: boom }],
  ['a throwing responseHook', () => {}, { responseHook: boom }],
  ['a throwing breakerName callback', () => {}, { breakerName: boom }],
  ['a meter whose instruments throw', (h) => h.instrumentation.setMeterProvider({ getMeter: throwingInstrumentsMeter } as MeterProvider), {}],
  ['a meter that cannot create instruments', (h) => h.instrumentation.setMeterProvider({ getMeter: throwingMeter } as MeterProvider), {}],
  ['a tracer that throws', (h) => h.instrumentation.setTracerProvider({ getTracer: () => ({ startSpan: boom, startActiveSpan: boom }) } as unknown as TracerProvider), {}],
  ['a logger that throws', (h) => h.instrumentation.setLoggerProvider({ getLogger: () => ({ emit: boom }) } as unknown as LoggerProvider), {}],
];

describe.each(faults)('with %s', (_label, breakIt, config) => {
  let harness: Harness;

  beforeAll(() => {
    // Faults are reported through the diagnostic logger; keep them out of the test output.
    const quiet = () => {};
    diag.setLogger({ error: quiet, warn: quiet, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.ERROR);
  });
  beforeEach(() => {
    faultsRaised = 0;
  });
  afterAll(() => diag.disable());
  afterEach(() => harness.close());

  it('opossum callers get the same results, errors and state changes', async () => {
    harness = new Harness(config);
    const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>('opossum');
    breakIt(harness);
    const breaker = new CircuitBreaker(async (fail: boolean) => (fail ? Promise.reject(new Downstream('down')) : 'ok'), {
      name: 'faulty',
      errorThresholdPercentage: 1,
    });
    await expect(breaker.fire(false)).resolves.toBe('ok');
    await expect(breaker.call(undefined, true)).rejects.toBeInstanceOf(Downstream);
    expect(breaker.opened).toBe(true);
    await expect(breaker.fire(false)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    breaker.fallback(() => 'fallback');
    await expect(breaker.fire(false)).resolves.toBe('fallback');
    breaker.shutdown();
    expect(faultsRaised).toBeGreaterThan(0);
  });

  it('cockatiel callers get the same results, errors and state changes', async () => {
    harness = new Harness(config);
    const cockatiel = await harness.cockatiel<typeof Cockatiel>('cockatiel');
    breakIt(harness);
    const breaker = cockatiel.circuitBreaker(cockatiel.handleAll, {
      halfOpenAfter: 60_000,
      breaker: new cockatiel.ConsecutiveBreaker(1),
    });
    await expect(breaker.execute(() => 'ok')).resolves.toBe('ok');
    await expect(breaker.execute(() => Promise.reject(new Downstream('down')))).rejects.toBeInstanceOf(Downstream);
    expect(breaker.state).toBe(cockatiel.CircuitState.Open);
    await expect(breaker.execute(() => 'never')).rejects.toBeInstanceOf(cockatiel.BrokenCircuitError);
    expect(faultsRaised).toBeGreaterThan(0);
  });
});

describe('an error whose getters throw', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('reaches the caller as it is, and its call span still ends with what could be read', async () => {
    harness = new Harness();
    const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>('opossum');
    const hostile = new Downstream('hidden');
    for (const key of ['code', 'message', 'name', 'stack', 'constructor']) {
      Object.defineProperty(hostile, key, { get: () => { throw new Boom(`no ${key}`); } });
    }
    const breaker = new CircuitBreaker(() => Promise.reject(hostile), { name: 'hostile' });
    await expect(breaker.fire()).rejects.toBe(hostile);
    const span = await harness.recorder.waitForSpan({ name: 'circuit_breaker.call hostile' });
    expect(span.attributes).toMatchObject({ 'resilience.circuit_breaker.outcome': 'failure', 'error.type': '_OTHER' });
    breaker.shutdown();
  });
});

describe('a meter that cannot create instruments', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('costs the metrics only: call spans and state-change events go on', async () => {
    const quiet = () => {};
    diag.setLogger({ error: quiet, warn: quiet, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.ERROR);
    harness = new Harness();
    const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>('opossum');
    harness.instrumentation.setMeterProvider({ getMeter: throwingMeter } as MeterProvider);
    const breaker = new CircuitBreaker(() => Promise.reject(new Downstream('down')), { name: 'meterless', errorThresholdPercentage: 1 });
    await expect(breaker.fire()).rejects.toBeInstanceOf(Downstream);
    await harness.recorder.waitForSpan({ name: 'circuit_breaker.call meterless' });
    await harness.recorder.waitForEvent({ name: 'resilience.circuit_breaker.state_change', attributes: { 'resilience.circuit_breaker.state': 'open' } });
    breaker.shutdown();
    diag.disable();
  });
});
