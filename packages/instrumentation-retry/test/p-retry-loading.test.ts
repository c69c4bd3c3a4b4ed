import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_OUTCOME, EVENT_RETRY_BACKOFF, METRIC_RETRY_CALL_DURATION } from '@dyntel/semconv';
import { NODE22, runFixture, withTelemetry, type ChildReport } from '@dyntel/test-support';
import { FIXTURES, RETRY_INSTRUMENTATION, runRetryFixture } from './support/fixtures';

// p-retry through the real hooks: `--require` (require-in-the-middle) and `--import`
// (import-in-the-middle) of the shared telemetry preload, p-retry 4 required and 9 imported, on
// the pinned Node 24 and on Node 22, the lower bound.
const require = createRequire(import.meta.url);

function expectContract(report: ChildReport): void {
  expect(report.settled).toEqual([
    ['resolved', 'ok'],
    ['rejected', 'Unavailable'],
    ['rejected', 'Unavailable'],
  ]);
  const calls = report.spans.filter((s) => s.name.startsWith('retry.call') && s.name !== 'retry.call lookupStock');
  expect(calls.map((s) => [s.name, s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT]])).toEqual([
    ['retry.call fetchInventory', 'success', 2],
    ['retry.call fetchPrices', 'exhausted', 2],
    ['retry.call fetchStock', 'aborted', 1],
  ]);
  expect(report.events.filter((e) => e.name === EVENT_RETRY_BACKOFF)).toHaveLength(2);
  expect(report.points.filter((p) => p.name === METRIC_RETRY_CALL_DURATION).reduce((sum, p) => sum + p.value, 0)).toBe(calls.length + (report.retriable === undefined ? 0 : 1));
}

// The hooks know a package by the name in its path, so p-retry 4 (installed as the alias
// p-retry-v4) runs from a directory of its own where it is node_modules/p-retry.
let v4App: string;
beforeAll(() => {
  v4App = mkdtempSync(join(tmpdir(), 'dyntel-p-retry-v4-'));
  const modules = join(v4App, 'node_modules');
  mkdirSync(modules);
  cpSync(dirname(require.resolve('p-retry-v4/package.json')), join(modules, 'p-retry'), { recursive: true, dereference: true });
  symlinkSync(dirname(require.resolve('retry/package.json')), join(modules, 'retry'), 'dir');
  for (const file of ['p-retry-require.cjs', 'p-retry-scenario.cjs']) cpSync(join(FIXTURES, file), join(v4App, file));
});
afterAll(() => rmSync(v4App, { recursive: true, force: true }));

const RUNS: [string, '--require' | '--import', string | undefined][] = [
  ['node 24 --require', '--require', undefined],
  ['node 24 --import', '--import', undefined],
  ['node 22 --import', '--import', NODE22],
];

describe.each(RUNS)('%s', (_label, telemetry, node) => {
  it('p-retry 4 required: the contract, the export still its own default', async () => {
    const report = await runFixture(withTelemetry({ ...RETRY_INSTRUMENTATION, loader: telemetry }, { script: 'p-retry-require.cjs', cwd: v4App, ...(node && { node }) }));
    expect(report).toMatchObject({ version: expect.stringMatching(/^4\./), sameDefault: true });
    expectContract(report);
  });

  it('p-retry 9 imported: the contract, makeRetriable named after its function', async () => {
    const report = await runRetryFixture('p-retry-import.mjs', { telemetry, ...(node && { node }) });
    expect(report.retriable).toBe('a:7');
    expect(report.spans.filter((s) => s.name === 'retry.call lookupStock').map((s) => s.attributes[ATTR_RETRY_OUTCOME])).toEqual(['success']);
    expectContract(report);
  });
});
