import { evaluateSpan, type SpanGraph, type SpanPattern } from './pattern';
import type { SpanEntry } from './records';

/** How the steps of a sequence relate to the stream of spans. */
export type SequenceMode = 'subsequence' | 'contiguous' | 'exact';
/** Which recorded order a sequence follows. */
export type SequenceOrder = 'end' | 'start';

/** Outcome of looking for a sequence in the recorded spans. */
export interface SequenceSearch {
  /** The spans, one per step, when the sequence is complete. */
  matched?: SpanEntry[];
  /** The longest run of steps matched so far, for explanations. */
  partial: SpanEntry[];
  /** True when more spans can no longer complete the sequence (exact mode, ordered by end). */
  impossible: boolean;
}

/** Orders entries by their recorded start or end sequence number. */
export function ordered(entries: readonly SpanEntry[], by: SequenceOrder): SpanEntry[] {
  // The buffer is already in end order; only `start` needs sorting.
  return by === 'end' ? [...entries] : [...entries].sort((a, b) => a.startSeq - b.startSeq);
}

/** Looks for `patterns` as a subsequence, a contiguous run, or the exact whole of `entries`. */
export function findSequence(
  entries: readonly SpanEntry[],
  patterns: readonly SpanPattern[],
  mode: SequenceMode,
  by: SequenceOrder,
  graph: SpanGraph,
): SequenceSearch {
  const matches = (entry: SpanEntry, step: number) => evaluateSpan(patterns[step]!, entry.span, graph).ok;
  if (mode === 'subsequence') {
    // Greedy earliest matching is optimal for subsequences: taking the first fit for a step
    // never prevents a later step from matching.
    const partial: SpanEntry[] = [];
    for (const entry of entries) {
      if (partial.length < patterns.length && matches(entry, partial.length)) partial.push(entry);
    }
    return { matched: partial.length === patterns.length ? partial : undefined, partial, impossible: false };
  }
  if (mode === 'exact') {
    const partial: SpanEntry[] = [];
    for (const entry of entries.slice(0, patterns.length)) {
      if (!matches(entry, partial.length)) break;
      partial.push(entry);
    }
    const complete = partial.length === patterns.length && entries.length === patterns.length;
    const broken = partial.length < Math.min(entries.length, patterns.length) || entries.length > patterns.length;
    return { matched: complete ? partial : undefined, partial, impossible: by === 'end' && broken };
  }
  let best: SpanEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const run: SpanEntry[] = [];
    while (run.length < patterns.length && i + run.length < entries.length && matches(entries[i + run.length]!, run.length)) {
      run.push(entries[i + run.length]!);
    }
    if (run.length === patterns.length) return { matched: run, partial: run, impossible: false };
    if (run.length > best.length) best = run;
  }
  return { partial: best, impossible: false };
}
