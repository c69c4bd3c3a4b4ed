import { describe, expect, it } from 'vitest';
import { ATTR_CIRCUIT_BREAKER_NAME, OTHER_VALUE } from '@dyntel/semconv';
import { cardinalityGuardFor } from '@dyntel/instrumentation-kit';
import { labelBreaker, nameCircuitBreaker } from './naming';

const opossum = (libraryName: string | undefined) => ({ library: 'opossum' as const, libraryName });

describe('nameCircuitBreaker', () => {
  it('names a breaker and returns it, for wrapping the expression that creates it', () => {
    const policy = {};
    expect(nameCircuitBreaker(policy, 'payments')).toBe(policy);
    expect(labelBreaker(policy, { library: 'cockatiel', libraryName: undefined }, {}).spanAttribute).toBe('payments');
  });

  it('overrides the library name and the config callback', () => {
    const breaker = nameCircuitBreaker({}, 'given');
    expect(labelBreaker(breaker, opossum('library'), { breakerName: () => 'callback' }).spanAttribute).toBe('given');
  });

  it.each([
    [null, 'x', /expected a circuit breaker object .* got null/],
    ['breaker', 'x', /expected a circuit breaker object .* got "breaker"/],
    [{}, '', /expected a non-empty string name, got ""/],
    [{}, 42, /expected a non-empty string name, got 42/],
  ])('rejects bad input (%j, %j) with a clear TypeError', (breaker, name, message) => {
    expect(() => nameCircuitBreaker(breaker as object, name as string)).toThrow(TypeError);
    expect(() => nameCircuitBreaker(breaker as object, name as string)).toThrow(message);
  });
});

describe('labelBreaker', () => {
  it('uses the config callback, then the library name', () => {
    expect(labelBreaker({}, opossum('library'), { breakerName: () => 'callback' }).spanAttribute).toBe('callback');
    expect(labelBreaker({}, opossum('library'), { breakerName: () => undefined }).spanAttribute).toBe('library');
  });

  it('drops generated names everywhere', () => {
    for (const name of ['3f2b8a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'deadbeefdeadbeef1234', '12345']) {
      expect(labelBreaker({}, opossum(name), {})).toEqual({ metricName: undefined, spanAttribute: undefined, spanSuffix: undefined });
    }
  });

  it('caps metric names at 100 per process, then _OTHER, keeping the real name on spans', () => {
    const guard = cardinalityGuardFor(ATTR_CIRCUIT_BREAKER_NAME);
    for (let i = 0; guard.size < guard.limit; i++) labelBreaker({}, opossum(`breaker-fill-${i}`), {});
    const label = labelBreaker({}, opossum('one-too-many'), {});
    expect(label).toEqual({ metricName: OTHER_VALUE, spanAttribute: 'one-too-many', spanSuffix: undefined });
  });
});
