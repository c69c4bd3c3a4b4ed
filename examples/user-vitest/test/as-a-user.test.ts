// This project run as its user runs it: the dyntel packages packed and installed from their
// tarballs into a copy, then its own `npm test`, with and without the documented setup line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeUserProject, runNpm } from '@dyntel/test-support';

interface VitestReport {
  testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
}

describeUserProject({
  project: fileURLToPath(new URL('..', import.meta.url)),
  exclude: ['test/as-a-user.test.ts'],
  // What the READMEs tell users to add to setupFiles.
  setupFile: 'vitest.config.mjs',
  setupText: "'@dyntel/register/testing', ",
  setupLabel: 'the setup entry',
  titles: [
    'a cockatiel breaker opens after consecutive failures, then rejects',
    'an opossum breaker opens after a failure, then rejects',
    'an opossum breaker required from CommonJS reports its state changes',
  ],
  // vitest's JSON report beside its usual output: each test's title and status.
  async npmTest(installed) {
    const run = await runNpm(installed, ['test', '--', '--reporter=default', '--reporter=json', '--outputFile=report.json']);
    const report = JSON.parse(readFileSync(join(installed, 'report.json'), 'utf8')) as VitestReport;
    const results = Object.fromEntries(report.testResults.flatMap((file) => file.assertionResults.map((test) => [test.title, test.status])));
    return { code: run.code, output: run.stdout + run.stderr, results };
  },
});
