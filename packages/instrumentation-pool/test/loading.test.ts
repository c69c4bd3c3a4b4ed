import { describe, expect, it } from 'vitest';
import { ATTR_ERROR_TYPE, ATTR_POOL_CONNECTION_STATE, ATTR_POOL_NAME, EVENT_LIFECYCLE, METRIC_POOL_CONNECTION_COUNT, METRIC_POOL_TIMEOUTS, METRIC_POOL_WAIT_TIME } from '@dyntel/semconv';
import { NODE22, type ChildReport } from '@dyntel/test-support';
import { runPoolFixture } from './support/fixtures';

// generic-pool through the real hooks, required and imported, on the pinned Node 24 and on
// Node 22, the lower bound.
const RUNS: [string, '--require' | '--import', string | undefined][] = [
  ['node 24 --require', '--require', undefined],
  ['node 24 --import', '--import', undefined],
  ['node 22 --import', '--import', NODE22],
];

const point = (report: ChildReport, name: string, attributes: Record<string, unknown> = {}) =>
  report.points.find((p) => p.name === name && Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))?.value;

describe.each(RUNS)('%s', (_label, telemetry, node) => {
  it.each(['generic-pool-require.cjs', 'generic-pool-import.mjs'])('%s emits the contract', async (app) => {
    const report = await runPoolFixture(app, { telemetry, node });
    expect(report.settled).toEqual([['acquired', true], ['rejected', 'TimeoutError']]);
    expect(report.spans.filter((s) => s.name.startsWith('pool.acquire')).map((s) => [s.name, s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      ['pool.acquire inventory-db', undefined],
      ['pool.acquire inventory-db', 'TimeoutError'],
    ]);
    expect(report.events.filter((e) => e.name === EVENT_LIFECYCLE).map((e) => [e.attributes[ATTR_POOL_NAME], e.attributes['resilience.lifecycle.state']])).toEqual([
      ['inventory-db', 'started'],
      ['inventory-db', 'stopped'],
    ]);
    const name = { [ATTR_POOL_NAME]: 'inventory-db' };
    expect([point(report, METRIC_POOL_WAIT_TIME, name), point(report, METRIC_POOL_TIMEOUTS, name)]).toEqual([1, 1]);
    // Drained before the report: never collected while alive, so no size series at all.
    expect(point(report, METRIC_POOL_CONNECTION_COUNT, { ...name, [ATTR_POOL_CONNECTION_STATE]: 'idle' })).toBeUndefined();
  });

  it('generic-pool-both-ways.mjs: imported and required, one Pool, patched once', async () => {
    const report = await runPoolFixture('generic-pool-both-ways.mjs', { telemetry, node });
    expect(report).toMatchObject({ samePool: true, wrapped: true, wrappedTwice: false });
    expect(report.points.filter((p) => p.name === METRIC_POOL_WAIT_TIME)).toHaveLength(1);
  });
});
