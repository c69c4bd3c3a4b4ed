import type { SpanPattern } from './pattern';
import type { SpanEntry } from './records';

/**
 * Assigns each pattern a distinct entry (bipartite matching with augmenting paths), so that
 * overlapping patterns do not steal each other's only match.
 */
export function assignDistinct(
  patterns: readonly SpanPattern[],
  entries: readonly SpanEntry[],
  matches: (p: SpanPattern, e: SpanEntry) => boolean,
): { assignment?: SpanEntry[]; matched: boolean[] } {
  const candidates = patterns.map((p) => entries.filter((e) => matches(p, e)));
  const owner = new Map<SpanEntry, number>();
  const tryAssign = (i: number, seen: Set<SpanEntry>): boolean => {
    for (const e of candidates[i]!) {
      if (seen.has(e)) continue;
      seen.add(e);
      const current = owner.get(e);
      if (current === undefined || tryAssign(current, seen)) {
        owner.set(e, i);
        return true;
      }
    }
    return false;
  };
  const matched = patterns.map((_, i) => tryAssign(i, new Set()));
  if (!matched.every(Boolean)) return { matched };
  const assignment: SpanEntry[] = new Array(patterns.length);
  for (const [e, i] of owner) assignment[i] = e;
  return { assignment, matched };
}
