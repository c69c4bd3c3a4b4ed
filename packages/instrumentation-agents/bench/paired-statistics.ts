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

/** A small seeded generator (mulberry32), so that the same samples always give the same interval. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The samples' median with a percentile-bootstrap 95 % interval (`resamples` resamples with
 * replacement, each one's median; the 2.5th and 97.5th percentiles of those). The median, not
 * the mean: a sample that a collection or another process's burst landed in moves it little.
 */
export function medianInterval(samples: readonly number[], resamples = 4000): MedianInterval {
  if (samples.length === 0) throw new Error('no samples');
  const random = seeded(0x5eed);
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
