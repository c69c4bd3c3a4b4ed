import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { SeededIds } from '../test/seeded-ids';
import { DyntelSampler } from './dyntel-sampler';
import { alwaysOff, alwaysOn, oneIn, parent, probability } from './policy';

const SAMPLED = SamplingDecision.RECORD_AND_SAMPLED;
const N = 100_000;

function run(sampler: DyntelSampler, seed: number, count = N): { sampled: number; adjusted: number } {
  const ids = new SeededIds(seed);
  let sampled = 0;
  let adjusted = 0;
  for (let i = 0; i < count; i++) {
    const result = sampler.shouldSample(ROOT_CONTEXT, ids.traceId(), 'op', SpanKind.INTERNAL, {}, []);
    if (result.decision === SAMPLED) {
      sampled++;
      adjusted += Number(result.attributes?.['SampleRate']);
    }
  }
  return { sampled, adjusted };
}

describe('achieved rates and adjusted counts over 100K spans (seeded ids)', () => {
  it.each([0.5, 0.1, 0.01, 0.001])('probability(%d): rate within 4 standard deviations, count within 5%', (p) => {
    const { sampled, adjusted } = run(new DyntelSampler({ root: probability(p), sampleRateAttribute: 'SampleRate' }), 17);
    const sd = Math.sqrt(N * p * (1 - p));
    expect(Math.abs(sampled - N * p)).toBeLessThan(4 * sd);
    if (p >= 0.01) expect(Math.abs(adjusted / N - 1)).toBeLessThan(0.05);
  });

  it('always_on keeps all with th:0 and adjusted count 1; always_off keeps none', () => {
    const on = new DyntelSampler({ root: alwaysOn(), sampleRateAttribute: 'SampleRate' });
    expect(run(on, 1, 1000)).toEqual({ sampled: 1000, adjusted: 1000 });
    expect(on.shouldSample(ROOT_CONTEXT, 'ab'.repeat(16), 'op', SpanKind.INTERNAL, {}, []).traceState?.serialize()).toBe('ot=th:0');
    expect(run(new DyntelSampler({ root: alwaysOff() }), 1, 1000).sampled).toBe(0);
    expect(run(new DyntelSampler({ root: probability(0) }), 1, 1000).sampled).toBe(0);
  });

  it('oneIn(n) keeps exactly the first of every n, with adjusted count n and no threshold', () => {
    const sampler = new DyntelSampler({ root: oneIn(7), sampleRateAttribute: 'SampleRate' });
    const ids = new SeededIds(2);
    const kept: number[] = [];
    for (let i = 0; i < 70; i++) {
      const result = sampler.shouldSample(ROOT_CONTEXT, ids.traceId(), 'op', SpanKind.INTERNAL, {}, []);
      if (result.decision === SAMPLED) {
        kept.push(i);
        expect(result.attributes).toEqual({ SampleRate: 7 });
        expect(result.traceState).toBeUndefined();
      }
    }
    expect(kept).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 56, 63]);
  });

  it('oneIn erases a threshold inherited from the parent', () => {
    const sampler = new DyntelSampler({ rules: [{ policy: oneIn(1) }] });
    const traceId = 'ab'.repeat(16);
    const context = trace.setSpanContext(ROOT_CONTEXT, {
      traceId, spanId: '1111111111111111', traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('ot=th:8;rv:ffffffffffffff'),
    });
    expect(sampler.shouldSample(context, traceId, 'op', SpanKind.INTERNAL, {}, []).traceState?.serialize()).toBe('ot=rv:ffffffffffffff');
  });

  it('children following a probability-sampled root carry its adjusted count: the estimate holds', () => {
    const sampler = new DyntelSampler({ root: probability(0.1), rules: [{ match: { parent: 'local' }, policy: parent() }], sampleRateAttribute: 'SampleRate' });
    const ids = new SeededIds(21);
    let adjusted = 0;
    for (let i = 0; i < N; i++) {
      const traceId = ids.traceId();
      const root = sampler.shouldSample(ROOT_CONTEXT, traceId, 'root', SpanKind.SERVER, {}, []);
      const context = trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId: ids.spanId(),
        traceFlags: root.decision === SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE,
        traceState: root.traceState,
      });
      const child = sampler.shouldSample(context, traceId, 'child', SpanKind.INTERNAL, {}, []);
      expect(child.decision).toBe(root.decision);
      if (child.decision === SAMPLED) adjusted += Number(child.attributes?.['SampleRate']);
    }
    expect(Math.abs(adjusted / N - 1)).toBeLessThan(0.05);
  });
});

describe('safety', () => {
  it('a failing rule never throws into the SDK: the span gets parent-based always-on', () => {
    const sampler = new DyntelSampler({ rules: [{ match: { attributes: { a: /x/ } }, policy: alwaysOff() }] });
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    const result = sampler.shouldSample(ROOT_CONTEXT, 'ab'.repeat(16), 'op', SpanKind.INTERNAL, hostile, []);
    expect(result.decision).toBe(SAMPLED);
  });
});

describe('drop path', () => {
  it('returns one shared, frozen result for every drop that has nothing to erase (no allocation)', () => {
    const sampler = new DyntelSampler({ root: probability(0.01) });
    const unsampledParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '00000000000000000000000000000001', spanId: '1111111111111111', traceFlags: TraceFlags.NONE, traceState: new TraceState('ot=rv:00000000000001'),
    });
    const a = sampler.shouldSample(ROOT_CONTEXT, '00000000000000000000000000000001', 'op', SpanKind.INTERNAL, {}, []);
    const b = sampler.shouldSample(ROOT_CONTEXT, '00000000000000000000000000000002', 'op', SpanKind.INTERNAL, {}, []);
    const c = sampler.shouldSample(unsampledParent, '00000000000000000000000000000001', 'op', SpanKind.INTERNAL, {}, []);
    expect(a.decision).toBe(SamplingDecision.NOT_RECORD);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
