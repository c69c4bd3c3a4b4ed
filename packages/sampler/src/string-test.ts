/** A compiled string condition, as rules test span names and attribute values. */
export type StringTest = (value: string) => boolean;

/**
 * Longest span name or attribute value a regular expression or wildcard pattern is tried on:
 * 1,024 characters; a longer value does not match such a condition. Span names and attribute
 * values reach the sampler before any span limit applies, so without this a huge value would
 * make every decision on it slow. Not matching (rather than testing a truncated value) never
 * lets a pattern anchored at the end match what the value does not end with.
 */
export const MATCHED_LENGTH_LIMIT = 1024;

/** `test`, false for values longer than {@link MATCHED_LENGTH_LIMIT} without trying them. */
export function bounded(test: StringTest): StringTest {
  return (value) => value.length <= MATCHED_LENGTH_LIMIT && test(value);
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * Compiles a `*` / `?` wildcard pattern (`*` any run of characters, `?` exactly one); a
 * pattern without wildcards compares exactly, one ending in its only `*` is a prefix test.
 * Other patterns take values of at most {@link MATCHED_LENGTH_LIMIT} characters, and matching never
 * backtracks further than the last `*`: it costs at most the pattern's length times the
 * value's, so no pattern can make a decision slow the way `.*a.*a.*a.*b` does as a regular
 * expression.
 */
export function compileGlob(pattern: string): StringTest {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  if (pattern.indexOf('*') === pattern.length - 1 && !pattern.includes('?')) {
    const prefix = pattern.slice(0, -1);
    return (value) => value.startsWith(prefix);
  }
  return bounded((value) => wildcardMatches(pattern, value));
}

// The classic two-pointer wildcard match: on a mismatch, go back to just after the last `*`
// and let it take one more character.
function wildcardMatches(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const code = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (code === STAR) {
      star = p++;
      resume = v;
    } else if (code === QUESTION || code === value.charCodeAt(v)) {
      p++;
      v++;
    } else if (star !== -1) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}
