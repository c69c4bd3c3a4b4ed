import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installUserProject } from './user-project';

/** What one run of a user project's own `npm test` reported. */
export interface UserTestRun {
  code: number;
  /** stdout and stderr, shown when an expectation fails. */
  output: string;
  /** Each test's title and `passed` or `failed`. */
  results: Record<string, string>;
}

/** An example project run as its user runs it. */
export interface UserProjectSuite {
  /** The example project's folder. */
  project: string;
  /** Files of the project not to copy, relative to it (its own as-a-user test). */
  exclude: readonly string[];
  /** The project file that holds the documented setup, relative to the project, and the setup's text in it. */
  setupFile: string;
  setupText: string;
  /** What the setup is called in the test titles (`the setup entry`, `the --import`). */
  setupLabel: string;
  /** Every test title the project's suite reports. */
  titles: readonly string[];
  /** Runs the installed copy's `npm test` and reads each test's result. */
  npmTest(installed: string): Promise<UserTestRun>;
}

/**
 * Registers the two tests every example project gets: installed from the packed packages, its
 * own `npm test` passes every test; without the documented setup the same suite fails every
 * test, so the passing run shows that the telemetry was recorded and awaited.
 */
export function describeUserProject(suite: UserProjectSuite): void {
  let installed: string;
  beforeAll(async () => {
    installed = await installUserProject(suite.project, { exclude: suite.exclude });
  }, 300_000);
  afterAll(() => rmSync(installed, { recursive: true, force: true }));

  const expectAll = (run: UserTestRun, status: string) =>
    expect(run.results, run.output).toEqual(Object.fromEntries(suite.titles.map((title) => [title, status])));

  it('npm test: ESM and CommonJS test files that import opossum and cockatiel see the breaker telemetry', async () => {
    const run = await suite.npmTest(installed);
    expectAll(run, 'passed');
    expect(run.code).toBe(0);
  }, 120_000);

  it(`without ${suite.setupLabel} the same suite fails: nothing is recorded`, async () => {
    const file = join(installed, suite.setupFile);
    const documented = readFileSync(file, 'utf8');
    expect(documented).toContain(suite.setupText);
    writeFileSync(file, documented.replace(suite.setupText, ''));
    try {
      const run = await suite.npmTest(installed);
      expectAll(run, 'failed');
      expect(run.code).not.toBe(0);
    } finally {
      writeFileSync(file, documented);
    }
  }, 120_000);
}
