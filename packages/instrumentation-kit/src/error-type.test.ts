import { describe, expect, it } from 'vitest';
import { resolveErrorType } from './error-type';

class BrokenCircuitError extends Error {}

describe('resolveErrorType', () => {
  it('prefers the library error code', () => {
    expect(resolveErrorType(Object.assign(new Error('Timed out'), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
    expect(resolveErrorType(Object.assign(new Error('open'), { code: 'EOPENBREAKER' }))).toBe('EOPENBREAKER');
  });

  it('falls back to the class name', () => {
    expect(resolveErrorType(new BrokenCircuitError('x'))).toBe('BrokenCircuitError');
    expect(resolveErrorType(new TypeError('x'))).toBe('TypeError');
    expect(resolveErrorType(Object.assign(new RangeError('x'), { code: 500 }))).toBe('RangeError');
    expect(resolveErrorType(Object.assign(new Error('x'), { code: 'not a code' }))).toBe('Error');
  });

  it('returns _OTHER for values that are not errors', () => {
    expect(resolveErrorType('boom')).toBe('_OTHER');
    expect(resolveErrorType(undefined)).toBe('_OTHER');
    expect(resolveErrorType({ message: 'plain object' })).toBe('_OTHER');
    expect(resolveErrorType(Object.create(null))).toBe('_OTHER');
  });

  it('is _OTHER for an error whose getters throw, instead of throwing', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'code', { get: () => { throw new Error('getter'); } });
    expect(resolveErrorType(hostile)).toBe('_OTHER');
  });
});
