import { describe, expect, it } from 'vitest';
import { ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_DELAY, ATTR_RETRY_NAME, ATTR_RETRY_OUTCOME, EVENT_RETRY_BACKOFF, METRIC_RETRY_CALL_DURATION } from '@dyntel/semconv';
import { NODE22 } from '@dyntel/test-support';
import { runRetryFixture } from './support/fixtures';

// retry, async-retry and promise-retry through the real hooks: `--require` and `--import` of the
// shared telemetry preload, apps that require or import them, on Node 24 and on Node 22.
const RUNS: [string, string, '--require' | '--import', string | undefined][] = [
  ['node 24 --require', 'retry-family.cjs', '--require', undefined],
  ['node 24 --import', 'retry-family.mjs', '--import', undefined],
  ['node 22 --import', 'retry-family.mjs', '--import', NODE22],
];

describe.each(RUNS)('%s (%s)', (_label, app, telemetry, node) => {
  it('records each call once, with its attempts and the wait its retry operation planned', async () => {
    const report = await runRetryFixture(app, { telemetry, node });
    expect(report.settled).toEqual([
      ['direct', 2],
      ['async', 2],
      ['promise', 2],
    ]);
    const calls = report.spans.filter((s) => s.name.startsWith('retry.call'));
    expect(calls.map((s) => [s.name, s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT]])).toEqual([
      ['retry.call direct', 'success', 2],
      ['retry.call async', 'success', 2],
      ['retry.call promise', 'success', 2],
    ]);
    expect(report.spans.filter((s) => s.name.startsWith('retry.attempt'))).toHaveLength(6);
    const backoffs = report.events.filter((e) => e.name === EVENT_RETRY_BACKOFF);
    expect(backoffs.map((e) => [e.attributes[ATTR_RETRY_NAME], e.attributes[ATTR_RETRY_DELAY]])).toEqual([
      // retry 0.13 waits at least 1 ms; promise-retry's retry 0.12 waits minTimeout 0 as is.
      ['direct', 0.001],
      ['async', 0.001],
      ['promise', 0],
    ]);
    const points = report.points.filter((p) => p.name === METRIC_RETRY_CALL_DURATION);
    expect(points.reduce((sum, p) => sum + p.value, 0)).toBe(3);
  });
});
