// This project run as its user runs it: the dyntel packages packed and installed from their
// tarballs into a copy, then its own `npm test` (node --test), with and without the documented --import.
import { fileURLToPath } from 'node:url';
import { describeUserProject, runNpm } from '@dyntel/test-support';

describeUserProject({
  project: fileURLToPath(new URL('..', import.meta.url)),
  exclude: ['test/as-a-user.test.ts'],
  // What the READMEs tell users to put in front of --test.
  setupFile: 'package.json',
  setupText: '--import @dyntel/register/testing ',
  setupLabel: 'the --import',
  titles: [
    'a cockatiel breaker opens after consecutive failures, then rejects',
    'a cockatiel breaker required from CommonJS reports its failed calls',
    'an opossum breaker opens after a failure, then rejects',
    'an opossum breaker required from CommonJS reports its state changes',
  ],
  // The TAP reporter: each test's title and whether it passed.
  async npmTest(installed) {
    const run = await runNpm(installed, ['test', '--', '--test-reporter=tap']);
    const results = Object.fromEntries(
      [...run.stdout.matchAll(/^(not ok|ok) \d+ - (.+)$/gm)].map(([, status, title]) => [title, status === 'ok' ? 'passed' : 'failed']),
    );
    return { code: run.code, output: run.stdout + run.stderr, results };
  },
});
