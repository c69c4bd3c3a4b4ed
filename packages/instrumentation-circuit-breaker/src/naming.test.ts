import { describe, expect, it } from 'vitest';
import { breakerNames, nameCircuitBreaker } from './naming';

describe('nameCircuitBreaker', () => {
  it('names a breaker and returns it, for wrapping the expression that creates it', () => {
    const policy = {};
    expect(nameCircuitBreaker(policy, 'payments')).toBe(policy);
    expect(breakerNames.label(policy, undefined).spanAttribute).toBe('payments');
  });

  it('overrides the library name and the config callback', () => {
    const breaker = nameCircuitBreaker({}, 'given');
    expect(breakerNames.label(breaker, 'library', () => 'callback').spanAttribute).toBe('given');
  });

  it.each([
    [null, 'x', /^nameCircuitBreaker: invalid first argument: null; expected a circuit breaker object \(an opossum CircuitBreaker or a cockatiel CircuitBreakerPolicy\)$/],
    ['breaker', 'x', /^nameCircuitBreaker: invalid first argument: "breaker"; expected a circuit breaker object/],
    [{}, '', /^nameCircuitBreaker: invalid name: ""; expected a non-empty string$/],
    [{}, 42, /^nameCircuitBreaker: invalid name: 42; expected a non-empty string$/],
  ])('rejects bad input (%j, %j) with a clear TypeError', (breaker, name, message) => {
    expect(() => nameCircuitBreaker(breaker as object, name as string)).toThrow(TypeError);
    expect(() => nameCircuitBreaker(breaker as object, name as string)).toThrow(message);
  });
});
