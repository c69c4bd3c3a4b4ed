import { Bench, type BenchOptions } from 'tinybench';
import { countAllocations } from './allocations.ts';
import type { BenchCase, CaseResult } from './bench-case.ts';

/** How `runCases` measures. */
export interface RunOptions {
  /** tinybench's options for each case (time, warmupTime, iterations, ...). */
  bench?: BenchOptions;
  /** Which of tinybench's latency statistics is the case's figure. Default 'mean'. */
  statistic?: 'mean' | 'median';
  /** Milliseconds of extra runs, after timing, over which allocations are counted; 0 counts none. Default 250. */
  allocationMillis?: number;
}

/**
 * Measures each case in turn, in this process: its set-up, its timed runs, then its
 * allocation count over runs of the same function, then its teardown.
 */
export async function runCases(cases: readonly BenchCase[], options: RunOptions = {}): Promise<CaseResult[]> {
  const { statistic = 'mean', allocationMillis = 250 } = options;
  const results: CaseResult[] = [];
  for (const { name, run, opsPerRun = 1, setup, ...roles } of cases) {
    const teardown = await setup?.();
    const bench = new Bench(options.bench).add(name, run);
    await bench.run();
    const { result } = bench.tasks[0]!;
    if (result.state !== 'completed') throw new Error(`${name}: ${result.state}`, { cause: (result as { error?: unknown }).error });
    const msPerRun = statistic === 'mean' ? result.latency.mean : result.latency.p50;
    const measured: CaseResult = { name, ...roles, nsPerOp: (msPerRun * 1e6) / opsPerRun, rme: result.latency.rme };
    if (allocationMillis > 0) {
      const runs = Math.max(1, Math.round(allocationMillis / Math.max(result.latency.mean, 1e-6)));
      measured.allocation = await countAllocations(run, runs, opsPerRun);
    }
    await teardown?.();
    results.push(measured);
  }
  return results;
}
