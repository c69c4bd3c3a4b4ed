import { describe, expect, it } from 'vitest';
import { NAME_LENGTH_LIMIT, OTHER_VALUE } from '@dyntel/semconv';
import { CardinalityGuard, capNameLength, cardinalityGuardFor, looksGenerated } from './cardinality';

describe('looksGenerated', () => {
  it.each(['123', '-4', '3.5', '550e8400-e29b-41d4-a716-446655440000', 'breaker-550e8400-e29b-41d4-a716-446655440000', '0123456789abcdef', 'pool_deadbeefcafe00112233'])(
    'treats %s as generated',
    (name) => expect(looksGenerated(name)).toBe(true),
  );

  it.each(['payments', 'pool-1', 'db-primary:5432/app', 'cafe', 'facade-decade-accede', 'v2-checkout'])(
    'keeps %s, a name a person chose',
    (name) => expect(looksGenerated(name)).toBe(false),
  );
});

describe('capNameLength', () => {
  it('keeps names up to the limit and cuts longer ones to it', () => {
    expect(capNameLength('payments')).toBe('payments');
    expect(capNameLength('x'.repeat(NAME_LENGTH_LIMIT))).toHaveLength(NAME_LENGTH_LIMIT);
    expect(capNameLength('x'.repeat(1 << 20))).toBe('x'.repeat(NAME_LENGTH_LIMIT));
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    const name = 'x'.repeat(NAME_LENGTH_LIMIT - 1) + '😀' + 'y';
    expect(capNameLength(name)).toBe('x'.repeat(NAME_LENGTH_LIMIT - 1));
  });
});

describe('CardinalityGuard', () => {
  it('drops generated names and empty values', () => {
    const guard = new CardinalityGuard('x');
    expect(guard.admit('42')).toBeUndefined();
    expect(guard.admit('')).toBeUndefined();
    expect(guard.admit(undefined)).toBeUndefined();
    expect(guard.size).toBe(0);
  });

  it('caps distinct values and maps the rest to _OTHER, keeping known ones', () => {
    const guard = new CardinalityGuard('x', 3);
    expect(['a', 'b', 'c'].map((v) => guard.admit(v))).toEqual(['a', 'b', 'c']);
    expect(guard.admit('d')).toBe(OTHER_VALUE);
    expect(guard.admit('a')).toBe('a');
    expect(guard.size).toBe(3);
  });

  it('holds at most 100 values by default, however many names arrive', () => {
    const guard = new CardinalityGuard('x');
    const recorded = new Set<string | undefined>();
    for (let i = 0; i < 10_000; i++) recorded.add(guard.admit(`name-${i}-x`));
    expect(recorded.size).toBe(101);
    expect(recorded.has(OTHER_VALUE)).toBe(true);
  });
});

describe('cardinalityGuardFor', () => {
  it('returns one process-wide guard per attribute', () => {
    expect(cardinalityGuardFor('semconv.test.a')).toBe(cardinalityGuardFor('semconv.test.a'));
    expect(cardinalityGuardFor('semconv.test.a')).not.toBe(cardinalityGuardFor('semconv.test.b'));
  });
});
