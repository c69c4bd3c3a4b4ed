import { performance } from 'node:perf_hooks';

/** A monotonic timestamp in milliseconds, for measuring durations. */
export function monotonicMillis(): number {
  return performance.now();
}

/** Seconds elapsed since a {@link monotonicMillis} timestamp. */
export function secondsSince(startMillis: number): number {
  return (performance.now() - startMillis) / 1000;
}
