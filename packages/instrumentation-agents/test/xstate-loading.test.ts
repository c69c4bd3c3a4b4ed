import { describe, expect, it } from 'vitest';
import { ATTR_ACTOR_TYPE, METRIC_ACTOR_SPAWNED, METRIC_ACTOR_STOPPED } from '@dyntel/semconv';
import { NODE22, type Point } from '@dyntel/test-support';
import { runAgentsFixture } from './support/fixtures';
import { expectNoIdsOnMetrics } from './support/harness';

// XState through the real hooks: `--require` (require-in-the-middle) and `--import`
// (import-in-the-middle) of the shared telemetry preload, apps that require, import or both,
// on the pinned Node 24 and on Node 22, the lower bound. The same apps can run under
// `--require @dyntel/register` / `--import` once register loads this package.
const APPS: [string, number][] = [
  ['xstate-require.cjs', 1],
  ['xstate-import.mjs', 1],
  ['xstate-both-ways.mjs', 2],
];
const RUNS: [string, '--require' | '--import', string | undefined][] = [
  ['node 24 --require', '--require', undefined],
  ['node 24 --import', '--import', undefined],
  ['node 22 --import', '--import', NODE22],
];

describe.each(RUNS)('%s', (_label, telemetry, node) => {
  it.each(APPS)('%s instruments each root actor once', async (app, systems) => {
    const report = await runAgentsFixture(app, { telemetry, node });
    expect(report.status).toBe('done');
    const spawned = (type: string) => report.points.find((p) => p.name === METRIC_ACTOR_SPAWNED && p.attributes[ATTR_ACTOR_TYPE] === type)?.value;
    expect([spawned('coordinator'), spawned('worker')]).toEqual([systems, systems]);
    expect(report.points.filter((p) => p.name === METRIC_ACTOR_STOPPED).reduce((sum, p) => sum + p.value, 0)).toBe(2 * systems);
    expect(report.spans.filter((s) => s.name === 'actor.system coordinator')).toHaveLength(systems);
    expectNoIdsOnMetrics(report.points as Point[]);
  });
});
