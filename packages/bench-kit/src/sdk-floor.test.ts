import { describe, expect, it } from 'vitest';
import { floorCases, floorCost, measureSdkFloor, type FloorOperation, type FloorWork } from './sdk-floor.ts';

const work: FloorWork = {
  histogram: { name: 'call.duration', attributes: { name: 'bench', outcome: 'success' }, buckets: [0.001, 0.01] },
  span: { name: 'call bench', attributes: { name: 'bench', state: 'closed' }, endAttributes: { outcome: 'success', fallback: false, retries: 0 } },
};

describe('floorCost', () => {
  // Powers of two, so that each sum says which operations it took.
  const net = (operation: FloorOperation) =>
    ({ 'empty task': 0, histogram: 1, 'unsampled root': 2, 'unsampled child': 4, 'sampled span': 8, 'context.with': 16 })[operation];

  it('adds up the operations each configuration needs', () => {
    expect(floorCost(net, 'metrics only')).toBe(1);
    expect(floorCost(net, 'unsampled root')).toBe(1 + 2 + 16);
    expect(floorCost(net, 'under an unsampled parent')).toBe(1 + 4);
    expect(floorCost(net, 'sampled')).toBe(1 + 8 + 16);
  });
});

describe('floorCases', () => {
  it('names each operation after the work it measures, the empty task as every bare', () => {
    const cases = floorCases(work);
    expect(cases.histogram.name).toBe('floor: histogram.record, 2 attributes');
    expect(cases['sampled span'].name).toBe('floor: tracer.startSpan + 3 end attributes + end, sampled (BatchSpanProcessor)');
    for (const operation of ['histogram', 'unsampled root', 'unsampled child', 'sampled span', 'context.with'] as const) {
      expect(cases[operation].bare).toBe(cases['empty task'].name);
    }
  });
});

describe('measureSdkFloor', () => {
  it('measures every operation and sums them net of the empty task', async () => {
    const floor = await measureSdkFloor(work, { bench: { iterations: 50, time: 0, warmup: false }, allocationMillis: 0 });
    expect(floor.results).toHaveLength(6);
    const ns = (name: string) => floor.results.find((result) => result.name.startsWith(name))!.nsPerOp;
    const empty = ns('floor: empty task');
    expect(floor.cost('metrics only')).toBeCloseTo(Math.max(0, ns('floor: histogram') - empty), 6);
    expect(floor.cost('sampled')).toBeGreaterThan(floor.cost('metrics only'));
  });
});
