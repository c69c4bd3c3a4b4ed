import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_STATE, METRIC_CIRCUIT_BREAKER_STATUS, NAME_LENGTH_LIMIT } from '@dyntel/semconv';
import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from './metrics-batch';
import { COMPONENT_LIMIT, readBatch } from './reading';

/** A collection with the status of `names.length` breakers, each closed. */
function statusBatch(names: string[]): MetricsBatch {
  const dataPoints = names.map((name) => ({ attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: 'closed' }, value: 1 }));
  return { scopeMetrics: [{ metrics: [{ descriptor: { name: METRIC_CIRCUIT_BREAKER_STATUS }, dataPoints }] }] };
}

describe('readBatch', () => {
  it('keeps at most the contract cap (plus _OTHER) of components per family, whatever the process reports', () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `breaker-${i}`);
    const reading = readBatch(statusBatch(names), 0);
    expect(COMPONENT_LIMIT).toBe(101);
    expect(reading.breakers.size).toBe(COMPONENT_LIMIT);
  });

  it("cuts names to the contract's length", () => {
    const reading = readBatch(statusBatch(['x'.repeat(1_000)]), 0);
    expect([...reading.breakers.keys()]).toEqual(['x'.repeat(NAME_LENGTH_LIMIT)]);
  });

  it('reads the state whose status is 1', () => {
    const batch = statusBatch(['inventory']);
    const metric = batch.scopeMetrics[0]!.metrics[0]!;
    const open = { ...metric, dataPoints: [{ attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_CIRCUIT_BREAKER_STATE]: 'closed' }, value: 0 }, { attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_CIRCUIT_BREAKER_STATE]: 'open' }, value: 1 }] };
    expect(readBatch({ scopeMetrics: [{ metrics: [open] }] }, 0).breakers.get('inventory')?.state).toBe('open');
  });
});
