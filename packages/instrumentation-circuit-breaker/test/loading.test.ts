import { describe, expect, it } from 'vitest';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE, ATTR_CIRCUIT_BREAKER_STATE, ATTR_ERROR_TYPE, EVENT_CIRCUIT_BREAKER_STATE_CHANGE, METRIC_CIRCUIT_BREAKER_CALL_DURATION, METRIC_CIRCUIT_BREAKER_STATE_CHANGES, METRIC_CIRCUIT_BREAKER_STATUS } from '@dyntel/semconv';
import { NODE22, type ChildReport } from '@dyntel/test-support';
import { runBreakerFixture } from './support/fixtures';

// The real module names through the real hooks: `--require` (require-in-the-middle) and
// `--import` (import-in-the-middle) of the shared telemetry preload, apps that require, import, or
// both, on the pinned Node 24 and on Node 22, the lower bound.
const APPS = [
  'opossum-require.cjs',
  'opossum-import.mjs',
  'opossum-both-ways.mjs',
  'cockatiel-require.cjs',
  'cockatiel-import.mjs',
  'cockatiel-both-ways.mjs',
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
    ['rejected', expect.stringMatching(/^(Error|BrokenCircuitError)$/)],
  ]);
  expect(report.spans.map((s) => [s.name, s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
    ['circuit_breaker.call inventory', 'success', undefined],
    ['circuit_breaker.call inventory', 'failure', 'TypeError'],
    ['circuit_breaker.call inventory', 'rejected', expect.stringMatching(/^(EOPENBREAKER|BrokenCircuitError)$/)],
  ]);
  const changes = report.events.filter((e) => e.name === EVENT_CIRCUIT_BREAKER_STATE_CHANGE);
  expect(changes.map((e) => [e.attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE], e.attributes[ATTR_CIRCUIT_BREAKER_STATE]])).toEqual([
    ['closed', 'open'],
  ]);
  const calls = report.points.filter((p) => p.name === METRIC_CIRCUIT_BREAKER_CALL_DURATION);
  expect(calls.reduce((sum, p) => sum + p.value, 0)).toBe(3);
  expect(calls.every((p) => p.attributes[ATTR_CIRCUIT_BREAKER_NAME] === 'inventory')).toBe(true);
  expect(report.points.some((p) => p.name === METRIC_CIRCUIT_BREAKER_STATE_CHANGES && p.value === 1)).toBe(true);
  const status = report.points.filter((p) => p.name === METRIC_CIRCUIT_BREAKER_STATUS && p.value === 1);
  expect(status.map((p) => p.attributes[ATTR_CIRCUIT_BREAKER_STATE])).toEqual(['open']);
}

describe.each(RUNS)('%s', (_label, telemetry, node) => {
  it.each(APPS)('%s emits the contract', async (app) => {
    const report = await runBreakerFixture(app, { telemetry, node });
    expectContract(report);
    if (app.includes('both-ways')) {
      expect(report).toMatchObject({ sameClass: true, wrapped: true, wrappedTwice: false });
    }
  });
});
