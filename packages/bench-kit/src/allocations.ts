import { GCProfiler, getHeapStatistics } from 'node:v8';

/** What one operation costs the garbage collector. */
export interface Allocation {
  /** Collections of any kind per million operations. */
  gcsPerMillionOps: number;
  /** Bytes allocated per operation: heap growth plus what every collection in between freed. */
  bytesPerOp: number;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Runs `run` `runs` times (awaiting it when it returns a promise) and counts the collections
 * in between and the bytes they and the heap's growth account for, per operation
 * (`opsPerRun` operations per run). Garbage left from before is in the starting heap size, so
 * freeing it does not count as allocation; collecting first (when `--expose-gc` gave a `gc()`)
 * keeps it from bringing a collection forward too.
 */
export async function countAllocations(run: () => unknown, runs: number, opsPerRun = 1): Promise<Allocation> {
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = new GCProfiler();
  profiler.start();
  const usedBefore = getHeapStatistics().used_heap_size;
  for (let i = 0; i < runs; i++) {
    const result = run();
    if (isThenable(result)) await result;
  }
  const usedAfter = getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop()!;
  let freed = 0;
  for (const gc of statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  const ops = runs * opsPerRun;
  return { gcsPerMillionOps: (statistics.length * 1e6) / ops, bytesPerOp: Math.max(0, usedAfter - usedBefore + freed) / ops };
}
