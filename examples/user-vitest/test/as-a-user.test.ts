// This project run as its user runs it: the dyntel packages packed and installed from their
// tarballs into a copy, then its own `npm test`. Without the documented setup line the same suite
// must fail, so the passing run shows that the breaker telemetry was recorded and awaited.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installUserProject, runNpm } from '@dyntel/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const THIS_TEST = 'test/as-a-user.test.ts';
// What the READMEs tell users to add to setupFiles.
const SETUP_ENTRY = "'@dyntel/register/testing', ";
const TESTS = [
  'a cockatiel breaker opens after consecutive failures, then rejects',
  'an opossum breaker opens after a failure, then rejects',
  'an opossum breaker required from CommonJS reports its state changes',
];

interface VitestReport {
  testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
}

let project: string;
beforeAll(async () => {
  project = await installUserProject(PROJECT, { exclude: [THIS_TEST] });
}, 300_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** `npm test`, with vitest's JSON report beside its usual output: each test's title and status. */
async function npmTest(): Promise<{ code: number; output: string; results: Record<string, string> }> {
  const run = await runNpm(project, ['test', '--', '--reporter=default', '--reporter=json', '--outputFile=report.json']);
  const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')) as VitestReport;
  const results = Object.fromEntries(report.testResults.flatMap((file) => file.assertionResults.map((test) => [test.title, test.status])));
  return { code: run.code, output: run.stdout + run.stderr, results };
}

it('npm test: ESM and CommonJS test files that import opossum and cockatiel see the breaker telemetry', async () => {
  const run = await npmTest();
  expect(run.results, run.output).toEqual(Object.fromEntries(TESTS.map((title) => [title, 'passed'])));
  expect(run.code).toBe(0);
}, 120_000);

it('without the setup entry the same suite fails: nothing is recorded', async () => {
  const config = join(project, 'vitest.config.mjs');
  const documented = readFileSync(config, 'utf8');
  expect(documented).toContain(SETUP_ENTRY);
  writeFileSync(config, documented.replace(SETUP_ENTRY, ''));
  try {
    const run = await npmTest();
    expect(run.results, run.output).toEqual(Object.fromEntries(TESTS.map((title) => [title, 'failed'])));
    expect(run.code).not.toBe(0);
  } finally {
    writeFileSync(config, documented);
  }
}, 120_000);
