/** Location and spread of a set of samples, in the samples' unit. */
export interface SampleStatistics {
  count: number;
  mean: number;
  median: number;
  p95: number;
  /** Relative margin of error of the mean at 95 % confidence, in percent. */
  rme: number;
}

/** Two-sided 95 % critical value of the normal distribution, close enough to Student's t from a few dozen samples on. */
const Z_95 = 1.96;

/** Statistics of samples a benchmark took itself (tinybench reports its own for what it times). */
export function sampleStatistics(samples: readonly number[]): SampleStatistics {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  const variance = sorted.length > 1 ? sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (sorted.length - 1) : 0;
  const rme = mean === 0 ? 0 : (100 * Z_95 * Math.sqrt(variance / sorted.length)) / Math.abs(mean);
  return { count: sorted.length, mean, median: at(0.5), p95: at(0.95), rme };
}
