// This project run as its user runs it: the dyntel packages packed and installed from their
// tarballs into a copy, then its own `npm test` (node --test). Without the documented --import
// the same suite must fail, so the passing run shows that the breaker telemetry was recorded and awaited.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installUserProject, runNpm } from '@dyntel/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const THIS_TEST = 'test/as-a-user.test.ts';
// What the READMEs tell users to put in front of --test.
const IMPORT_FLAG = '--import @dyntel/register/testing ';
const TESTS = [
  'a cockatiel breaker opens after consecutive failures, then rejects',
  'a cockatiel breaker required from CommonJS reports its failed calls',
  'an opossum breaker opens after a failure, then rejects',
  'an opossum breaker required from CommonJS reports its state changes',
];

let project: string;
beforeAll(async () => {
  project = await installUserProject(PROJECT, { exclude: [THIS_TEST] });
}, 300_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** `npm test` with the TAP reporter: each test's title and whether it passed. */
async function npmTest(): Promise<{ code: number; output: string; results: Record<string, string> }> {
  const run = await runNpm(project, ['test', '--', '--test-reporter=tap']);
  const results = Object.fromEntries([...run.stdout.matchAll(/^(not ok|ok) \d+ - (.+)$/gm)].map(([, status, title]) => [title, status === 'ok' ? 'passed' : 'failed']));
  return { code: run.code, output: run.stdout + run.stderr, results };
}

it('npm test: ESM and CommonJS test files that import opossum and cockatiel see the breaker telemetry', async () => {
  const run = await npmTest();
  expect(run.results, run.output).toEqual(Object.fromEntries(TESTS.map((title) => [title, 'passed'])));
  expect(run.code).toBe(0);
}, 120_000);

it('without the --import the same suite fails: nothing is recorded', async () => {
  const manifest = join(project, 'package.json');
  const documented = readFileSync(manifest, 'utf8');
  expect(documented).toContain(IMPORT_FLAG);
  writeFileSync(manifest, documented.replace(IMPORT_FLAG, ''));
  try {
    const run = await npmTest();
    expect(run.results, run.output).toEqual(Object.fromEntries(TESTS.map((title) => [title, 'failed'])));
    expect(run.code).not.toBe(0);
  } finally {
    writeFileSync(manifest, documented);
  }
}, 120_000);
