import { describe, expect, it } from 'vitest';
import { bucketsSince, quantile, type Buckets } from './buckets';

const BOUNDARIES = [0.01, 0.1, 1];
const buckets = (counts: number[]): Buckets => ({ boundaries: BOUNDARIES, counts, count: counts.reduce((a, b) => a + b, 0) });

describe('quantile', () => {
  it('interpolates inside the bucket the rank falls in, as histogram_quantile does', () => {
    // 10 below 10 ms, 10 between 10 and 100 ms: the median is the top of the first bucket, p75 half-way through the second.
    expect(quantile(buckets([10, 10, 0, 0]), 0.5)).toBeCloseTo(0.01);
    expect(quantile(buckets([10, 10, 0, 0]), 0.75)).toBeCloseTo(0.055);
  });

  it('answers the highest boundary for a rank in the unbounded bucket, and nothing for an empty histogram', () => {
    expect(quantile(buckets([0, 0, 0, 5]), 0.99)).toBe(1);
    expect(quantile(buckets([0, 0, 0, 0]), 0.5)).toBeUndefined();
    expect(quantile(undefined, 0.5)).toBeUndefined();
  });
});

describe('bucketsSince', () => {
  it('is what was recorded between two collections', () => {
    expect(bucketsSince(buckets([5, 3, 1, 0]), buckets([4, 1, 1, 0]))).toEqual(buckets([1, 2, 0, 0]));
  });

  it('is nothing after a reset (fewer counts than before) or with other boundaries', () => {
    expect(bucketsSince(buckets([1, 0, 0, 0]), buckets([4, 1, 1, 0]))).toBeUndefined();
    expect(bucketsSince({ boundaries: [1], counts: [1, 1], count: 2 }, buckets([0, 0, 0, 0]))).toBeUndefined();
  });
});
