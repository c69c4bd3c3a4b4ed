import { describe, expect, it } from 'vitest';
import { SPAN_CIRCUIT_BREAKER_CALL } from '@dyntel/semconv';
import { spanName } from './span-name';

describe('spanName', () => {
  it('is {operation} {name}, or {operation} alone without a name', () => {
    expect(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'payments')).toBe('circuit_breaker.call payments');
    expect(spanName(SPAN_CIRCUIT_BREAKER_CALL)).toBe('circuit_breaker.call');
  });
});
