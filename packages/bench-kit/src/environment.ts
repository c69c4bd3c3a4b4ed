import { availableParallelism, cpus } from 'node:os';

/** One line saying where a benchmark ran, to print above its tables. */
export function benchEnvironment(): string {
  return `Node ${process.version}, ${process.platform} ${process.arch}, ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
}
