// XState releases before 5.7 through the real hooks: `--require` (require-in-the-middle) and
// `--import` (import-in-the-middle) of the shared telemetry preload, apps that require and that
// import `xstate`. The hooks know a package by the `node_modules/xstate` directory it is loaded
// from, so each release is copied (from its npm alias) into a temporary application of its own.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ATTR_ACTOR_STATE_FROM, ATTR_ACTOR_STATE_TO, ATTR_ACTOR_TYPE, METRIC_ACTOR_SPAWNED, METRIC_ACTOR_STATE_TRANSITIONS } from '@dyntel/semconv';
import { FIXTURES, runAgentsFixture } from './support/fixtures';
import { expectNoIdsOnMetrics } from './support/harness';

const require = createRequire(import.meta.url);
const SCENARIO = JSON.stringify(join(FIXTURES, 'xstate-scenario.cjs'));
const apps: string[] = [];
afterAll(() => {
  for (const app of apps) rmSync(app, { recursive: true, force: true });
});

/** A temporary application with the release of `alias` as its `xstate`, and an app that requires it and one that imports it. */
function applicationWith(alias: string): string {
  const app = mkdtempSync(join(tmpdir(), 'dyntel-xstate-'));
  apps.push(app);
  cpSync(dirname(require.resolve(`${alias}/package.json`)), join(app, 'node_modules', 'xstate'), { recursive: true });
  writeFileSync(join(app, 'require.cjs'), `require(${SCENARIO}).runAndReport(require('xstate'));\n`);
  writeFileSync(join(app, 'import.mjs'), `import * as x from 'xstate';\nimport scenario from ${SCENARIO};\nawait scenario.runAndReport(x);\n`);
  return app;
}

describe.each([
  ['xstate-v5-0', '5.0.0'],
  ['xstate-v5-6', '5.6.2'],
])('%s (%s) through the hooks', (alias, version) => {
  const app = applicationWith(alias);
  it('is the release the application has as xstate', () => {
    expect((JSON.parse(readFileSync(join(app, 'node_modules', 'xstate', 'package.json'), 'utf8')) as { version: string }).version).toBe(version);
  });
  it.each([
    ['require.cjs', '--require'],
    ['require.cjs', '--import'],
    ['import.mjs', '--import'],
  ] as const)('%s under %s: actors and their transitions, told from snapshots', async (script, telemetry) => {
    const report = await runAgentsFixture(join(app, script), { telemetry });
    expect(report.status).toBe('done');
    const spawned = (type: string) => report.points.find((p) => p.name === METRIC_ACTOR_SPAWNED && p.attributes[ATTR_ACTOR_TYPE] === type)?.value;
    expect([spawned('coordinator'), spawned('worker')]).toEqual([1, 1]);
    const transitions = report.points.filter((p) => p.name === METRIC_ACTOR_STATE_TRANSITIONS).map((p) => [p.attributes[ATTR_ACTOR_STATE_FROM], p.attributes[ATTR_ACTOR_STATE_TO], p.value]);
    expect(transitions.sort()).toEqual([
      ['coordinator.running', 'coordinator.finished', 1],
      ['worker.idle', 'worker.done', 1],
    ]);
    expect(report.spans.filter((s) => s.name === 'actor.system coordinator')).toHaveLength(1);
    expectNoIdsOnMetrics(report.points as Parameters<typeof expectNoIdsOnMetrics>[0]);
  });
});
