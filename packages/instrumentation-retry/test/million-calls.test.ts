import { expect, it } from 'vitest';
import { METRIC_RETRY_ATTEMPT_DURATION, METRIC_RETRY_ATTEMPTS, METRIC_RETRY_CALL_DURATION, METRIC_RETRY_RETRIES } from '@dyntel/semconv';
import { runRetryFixture } from './support/fixtures';

interface MillionReport {
  series: Record<string, number>;
  calls: number;
  heapAtTenth: number;
  heapAtEnd: number;
}

const NAMES = 20;

// The fixture runs 1,000,000 logical calls across 20 named retries (async-retry, promise-retry,
// exponential-backoff and cockatiel, 5 names each; exhausted, aborted, after one retry or first
// time, with two error classes), once with the instrumentation (metrics on, spans not sampled)
// and once without, each in a fresh process with the GC exposed.
it('1,000,000 logical calls across 20 named retries keep metric series bounded and add no memory per call', { timeout: 180_000 }, async () => {
  const [instrumented, baseline] = (await Promise.all([
    runRetryFixture('million-calls.mjs', { nodeArgs: ['--expose-gc'] }),
    runRetryFixture('million-calls.mjs', { nodeArgs: ['--expose-gc'], env: { BASELINE: '1' } }),
  ])) as unknown as MillionReport[];

  expect(instrumented!.calls).toBe(1_000_000);
  // Outcomes with their error.type: success; exhausted by Timeout or Refused; aborted by Fatal.
  expect(instrumented!.series[METRIC_RETRY_CALL_DURATION]).toBe(NAMES * 4);
  // Attempts: none, Timeout, Refused, Fatal (an async-retry attempt that bails resolves: no Fatal there).
  expect(instrumented!.series[METRIC_RETRY_ATTEMPT_DURATION]).toBeLessThanOrEqual(NAMES * 4);
  // Attempts per call: by outcome only.
  expect(instrumented!.series[METRIC_RETRY_ATTEMPTS]).toBe(NAMES * 3);
  // Retries: one strategy per name, by the two errors that are retried.
  expect(instrumented!.series[METRIC_RETRY_RETRIES]).toBe(NAMES * 2);

  // Judged by what the instrumentation adds over the same 900,000 calls: under 1 MB, about a
  // byte per call, where keeping anything per call (a call record, a span, a closure) would
  // cost tens of megabytes.
  const growth = (r: MillionReport) => r.heapAtEnd - r.heapAtTenth;
  expect(growth(instrumented!) - growth(baseline!)).toBeLessThan(1_000_000);
});
