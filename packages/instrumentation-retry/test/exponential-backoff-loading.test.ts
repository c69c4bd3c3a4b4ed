import { describe, expect, it } from 'vitest';
import { ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_MAX_ATTEMPTS, ATTR_RETRY_OUTCOME, EVENT_RETRY_BACKOFF } from '@dyntel/semconv';
import { NODE22 } from '@dyntel/test-support';
import { runRetryFixture } from './support/fixtures';

// exponential-backoff (CJS) through the real hooks: required, imported from ESM, and both in
// one process, on the pinned Node 24 and on Node 22, the lower bound.
const RUNS: [string, '--require' | '--import', string | undefined][] = [
  ['node 24 --require', '--require', undefined],
  ['node 24 --import', '--import', undefined],
  ['node 22 --import', '--import', NODE22],
];

describe.each(RUNS)('%s', (_label, telemetry, node) => {
  it.each(['exponential-backoff-require.cjs', 'exponential-backoff-import.mjs'])('%s emits the contract', async (app) => {
    const report = await runRetryFixture(app, { telemetry, node });
    expect(report.settled).toEqual([
      ['resolved', 'ok'],
      ['rejected', 'TypeError'],
      ['rejected', 'RangeError'],
    ]);
    const calls = report.spans.filter((s) => s.name === 'retry.call inventory');
    expect(calls.map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_RETRY_MAX_ATTEMPTS]])).toEqual([
      ['success', 2, 2],
      ['exhausted', 2, 2],
      ['aborted', 1, 2],
    ]);
    expect(report.events.filter((e) => e.name === EVENT_RETRY_BACKOFF)).toHaveLength(2);
  });

  it('exponential-backoff-both-ways.mjs: imported and required, backOff is wrapped once', async () => {
    const report = await runRetryFixture('exponential-backoff-both-ways.mjs', { telemetry, node });
    expect(report).toMatchObject({ settled: [['resolved', 'ok'], ['resolved', 'ok']], wrappedTwice: false });
    expect(report.spans.filter((s) => s.name === 'retry.call inventory')).toHaveLength(2);
  });
});
