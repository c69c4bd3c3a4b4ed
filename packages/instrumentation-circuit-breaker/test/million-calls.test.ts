import { expect, it } from 'vitest';
import { METRIC_CIRCUIT_BREAKER_CALL_DURATION, METRIC_CIRCUIT_BREAKER_STATE_CHANGES, METRIC_CIRCUIT_BREAKER_STATUS } from '@dyntel/semconv';
import { runBreakerFixture } from './support/fixtures';

interface MillionReport {
  series: Record<string, number>;
  heapAt100k: number;
  heapAt1m: number;
  calls: number;
}

// The fixture runs 1,000,000 calls across 5 opossum and 5 cockatiel breakers (every seventh
// fails, with one of three error classes), once with the instrumentation (metrics on, spans
// not sampled) and once without, each in a fresh process with the GC exposed.
it('1,000,000 calls across 10 breakers keep metric series bounded and add no memory per call', async () => {
  const [instrumented, baseline] = (await Promise.all([
    runBreakerFixture('million-calls.mjs', { nodeArgs: ['--expose-gc'] }),
    runBreakerFixture('million-calls.mjs', { nodeArgs: ['--expose-gc'], env: { BASELINE: '1' } }),
  ])) as unknown as MillionReport[];

  expect(instrumented!.calls).toBe(1_000_000);
  // 10 names × (success + 3 error types), 10 names × 5 states, and no transitions.
  expect(instrumented!.series[METRIC_CIRCUIT_BREAKER_CALL_DURATION]).toBe(40);
  expect(instrumented!.series[METRIC_CIRCUIT_BREAKER_STATUS]).toBe(50);
  expect(instrumented!.series[METRIC_CIRCUIT_BREAKER_STATE_CHANGES]).toBeUndefined();

  // opossum's own heap grows while its rolling windows fill, so the instrumentation is judged
  // by what it adds over the same 900,000 calls: under 1 MB, about a byte per call, where
  // keeping anything per call would cost tens of megabytes.
  const growth = (r: MillionReport) => r.heapAt1m - r.heapAt100k;
  expect(growth(instrumented!) - growth(baseline!)).toBeLessThan(1_000_000);
});
