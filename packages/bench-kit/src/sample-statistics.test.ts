import { describe, expect, it } from 'vitest';
import { sampleStatistics } from './sample-statistics.ts';

describe('sampleStatistics', () => {
  it('gives the mean, median, 95th percentile and relative margin of error of unsorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, reversed
    const stats = sampleStatistics(samples);
    expect(stats).toMatchObject({ count: 100, mean: 50.5, median: 51, p95: 96 });
    // sd of 1..100 is 29.01; 1.96 × 29.01 / √100 / 50.5 = 11.26 %
    expect(stats.rme).toBeCloseTo(11.26, 1);
  });

  it('has no margin of error for one sample, and refuses none', () => {
    expect(sampleStatistics([3]).rme).toBe(0);
    expect(() => sampleStatistics([])).toThrow('no samples');
  });
});
