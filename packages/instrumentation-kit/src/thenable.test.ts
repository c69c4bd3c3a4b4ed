import { describe, expect, it } from 'vitest';
import { isThenable } from './thenable';

describe('isThenable', () => {
  it('is true for promises and for objects and functions with a then method', () => {
    const thenableFunction = Object.assign(() => 0, { then: () => undefined });
    expect([Promise.resolve(1), { then: () => undefined }, thenableFunction].map(isThenable)).toEqual([true, true, true]);
  });

  it('is false for values without a callable then', () => {
    expect([undefined, null, 0, 'then', {}, { then: 1 }, () => 0].map(isThenable)).toEqual([false, false, false, false, false, false, false]);
  });
});
