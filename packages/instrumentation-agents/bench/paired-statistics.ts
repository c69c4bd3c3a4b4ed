import { seededRandom } from '@dyntel/bench-kit';

/** A median and a 95 % interval around it, in the samples' unit. */
export interface MedianInterval {
  median: number;
  low: number;
  high: number;
  count: number;
}

const median = (sorted: readonly number[]): number => {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The samples' median with a percentile-bootstrap 95 % interval (`resamples` resamples with
 * replacement, each one's median; the 2.5th and 97.5th percentiles of those). The median, not
 * the mean: a sample that a collection or another process's burst landed in moves it little.
 */
export function medianInterval(samples: readonly number[], resamples = 4000): MedianInterval {
  if (samples.length === 0) throw new Error('no samples');
  const random = seededRandom(0x5eed);
  const medians: number[] = [];
  const resample = new Array<number>(samples.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < samples.length; i++) resample[i] = samples[Math.floor(random() * samples.length)]!;
    medians.push(median([...resample].sort((a, b) => a - b)));
  }
  medians.sort((a, b) => a - b);
  const at = (q: number) => medians[Math.min(medians.length - 1, Math.floor(q * medians.length))]!;
  return { median: median([...samples].sort((a, b) => a - b)), low: at(0.025), high: at(0.975), count: samples.length };
}
