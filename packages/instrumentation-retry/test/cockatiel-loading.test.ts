import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_MAX_ATTEMPTS, ATTR_RETRY_OUTCOME, EVENT_RETRY_BACKOFF } from '@dyntel/semconv';
import { NODE22, type ChildReport } from '@dyntel/test-support';
import { FIXTURES, runRetryFixture } from './support/fixtures';

// cockatiel retry policies through the real hooks: `--require` (require-in-the-middle) and
// `--import` (import-in-the-middle) of the shared telemetry preload, apps that require, import
// or both, on the pinned Node 24 and on Node 22, the lower bound. cockatiel 3 is installed as
// an npm alias, which the hooks would not know by name: the test gives its fixtures a copy of
// it as their own node_modules/cockatiel, as an application would have it.
const V3_DIR = join(FIXTURES, 'cockatiel-v3');
const require = createRequire(import.meta.url);

beforeAll(() => {
  const target = join(V3_DIR, 'node_modules', 'cockatiel');
  const source = dirname(require.resolve('cockatiel-v3/package.json'));
  const installed = existsSync(join(target, 'package.json')) ? (JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { version: string }).version : undefined;
  if (installed !== (require('cockatiel-v3/package.json') as { version: string }).version) cpSync(source, target, { recursive: true });
});

const APPS: [string, string | undefined][] = [
  ['cockatiel-require.cjs', '4'],
  ['cockatiel-import.mjs', '4'],
  ['cockatiel-both-ways.mjs', '4'],
  ['cockatiel-v3/require.cjs', '3'],
  ['cockatiel-v3/import.mjs', '3'],
];
const RUNS: [string, '--require' | '--import', string | undefined][] = [
  ['node 24 --require', '--require', undefined],
  ['node 24 --import', '--import', undefined],
  ['node 22 --import', '--import', NODE22],
];

function expectContract(report: ChildReport): void {
  expect(report.settled).toEqual([
    ['resolved', 'ok'],
    ['rejected', 'TypeError'],
    ['rejected', 'RangeError'],
  ]);
  const calls = report.spans.filter((s) => s.name === 'retry.call inventory');
  expect(calls.map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_RETRY_MAX_ATTEMPTS]])).toEqual([
    ['success', 2, 3],
    ['exhausted', 3, 3],
    ['aborted', 1, 3],
  ]);
  expect(report.spans.filter((s) => s.name === 'retry.attempt inventory').every((s) => calls.some((c) => c.spanId === s.parentSpanId))).toBe(true);
  expect(report.events.filter((e) => e.name === EVENT_RETRY_BACKOFF)).toHaveLength(3);
}

describe.each(RUNS)('%s', (_label, telemetry, node) => {
  it.each(APPS)('%s (cockatiel %s) emits the contract', async (app, major) => {
    const report = await runRetryFixture(app, { telemetry, node });
    expectContract(report);
    if (major === '3') expect(report.version).toMatch(/^3\./);
    if (app.includes('both-ways')) expect(report).toMatchObject({ sameClass: true, wrapped: true, wrappedTwice: false });
  });
});
