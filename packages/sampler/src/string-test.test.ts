import { describe, expect, it } from 'vitest';
import { MATCHED_LENGTH_LIMIT, compileGlob } from './string-test';

// The meaning of a wildcard pattern, written the obvious way (slow for some patterns, so only
// used here on short values).
function reference(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

let seed = 0x9e3779b9;
function random(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}
const word = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');

describe('wildcard patterns', () => {
  it('match as * (any run) and ? (one character) mean, on 20,000 seeded patterns and values', () => {
    for (let i = 0; i < 20_000; i++) {
      const pattern = word('ab*?.', 1 + random(7));
      const value = word('ab.\n', random(9));
      expect(compileGlob(pattern)(value), `${JSON.stringify(pattern)} on ${JSON.stringify(value)}`).toBe(reference(pattern, value));
    }
  });

  it('take a value of the longest length the limit allows, and no longer', () => {
    expect(compileGlob('*a*a*a*a*a*b')(`${'a'.repeat(MATCHED_LENGTH_LIMIT - 1)}b`)).toBe(true);
    expect(compileGlob('*a*a*a*a*a*b')('a'.repeat(MATCHED_LENGTH_LIMIT))).toBe(false);
    expect(compileGlob('*a*a*a*a*a*a')('a'.repeat(MATCHED_LENGTH_LIMIT + 1))).toBe(false);
  });
});
