import { mkdirSync, writeFileSync } from 'node:fs';

/** The repository's `.bench-results/` folder (git-ignored). */
const RESULTS_DIRECTORY = new URL('../../../.bench-results/', import.meta.url);

/** Writes `data` as `.bench-results/<name>.json`, for comparing runs; returns the file's path. */
export function saveResults(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const file = new URL(`${name}.json`, RESULTS_DIRECTORY);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file.pathname;
}
