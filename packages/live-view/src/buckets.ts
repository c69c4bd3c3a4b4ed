import type { HistogramValue } from './metrics-batch';

/** A histogram's bucket counts: cumulative as collected, or the difference of two collections. */
export interface Buckets {
  readonly boundaries: readonly number[];
  /** One count per bucket, the last one past the highest boundary. */
  readonly counts: number[];
  count: number;
}

/** A copy of a collected histogram's buckets, to add others to. */
export function bucketsOf(value: HistogramValue): Buckets {
  return { boundaries: value.buckets.boundaries, counts: [...value.buckets.counts], count: value.count };
}

/** Adds a histogram into `into` (points of one component split by other attributes); a histogram with other boundaries is left out. */
export function addBuckets(into: Buckets | undefined, value: HistogramValue): Buckets {
  if (!into) return bucketsOf(value);
  if (!sameBoundaries(into.boundaries, value.buckets.boundaries)) return into;
  for (let i = 0; i < into.counts.length; i++) into.counts[i]! += value.buckets.counts[i] ?? 0;
  into.count += value.count;
  return into;
}

/** What was recorded between two collections, or undefined when the histograms do not line up (a reset, other boundaries). */
export function bucketsSince(now: Buckets | undefined, before: Buckets | undefined): Buckets | undefined {
  if (!now) return undefined;
  if (!before) return now;
  if (!sameBoundaries(now.boundaries, before.boundaries) || now.count < before.count) return undefined;
  const counts = now.counts.map((c, i) => c - (before.counts[i] ?? 0));
  if (counts.some((c) => c < 0)) return undefined;
  return { boundaries: now.boundaries, counts, count: now.count - before.count };
}

/**
 * The q-quantile (0..1) of a histogram, interpolated linearly inside the bucket it falls in, as
 * Prometheus' histogram_quantile does; a quantile in the last, unbounded bucket is its lower
 * boundary. Undefined for an empty histogram.
 */
export function quantile(buckets: Buckets | undefined, q: number): number | undefined {
  if (!buckets || buckets.count <= 0) return undefined;
  const rank = q * buckets.count;
  let below = 0;
  for (let i = 0; i < buckets.counts.length; i++) {
    const inBucket = buckets.counts[i]!;
    if (inBucket > 0 && below + inBucket >= rank) {
      const upper = buckets.boundaries[i];
      const lower = i === 0 ? 0 : buckets.boundaries[i - 1]!;
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return buckets.boundaries.at(-1);
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
