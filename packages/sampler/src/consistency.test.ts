import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import type { Context, SamplingResult, TraceState } from '@opentelemetry/api';
import { TraceState as CoreTraceState } from '@opentelemetry/core';
import {
  createComposableAlwaysOnSampler,
  createComposableParentThresholdSampler,
  createComposableProbabilitySampler,
  createCompositeSampler,
} from '@opentelemetry/sampler-composite';
import { describe, expect, it } from 'vitest';
import { SeededIds } from '../test/seeded-ids';
import { DyntelSampler } from './dyntel-sampler';
import { parent, probability } from './policy';

const SAMPLED = SamplingDecision.RECORD_AND_SAMPLED;

/**
 * Tracestate entries regardless of order: W3C moves a modified entry to the front, and an
 * unmodified parent tracestate (same threshold) legitimately keeps its order.
 */
function entries(state: TraceState | undefined): string[] {
  return (state?.serialize() ?? '').split(',').filter(Boolean).sort();
}

/**
 * Composite leaves a stale `ot=th` on a dropped child when erasing it would empty the `ot`
 * entry; we erase it (a dropped span has no sampling probability). Decisions agree either way,
 * so dropped children are compared on the entries other than `ot`, and ours must carry no th.
 */
function expectSameOutcome(a: SamplingResult, b: SamplingResult, parentState: TraceState): void {
  expect(a.decision).toBe(b.decision);
  const ours = a.traceState ?? parentState;
  const theirs = b.traceState ?? parentState;
  if (a.decision === SAMPLED) {
    expect(entries(ours)).toEqual(entries(theirs));
  } else {
    expect(ours.get('ot') ?? '').not.toMatch(/(^|;)th:/);
    expect(entries(ours.unset('ot'))).toEqual(entries(theirs.unset('ot')));
  }
}

function decide(sampler: { shouldSample: DyntelSampler['shouldSample'] }, context: Context, traceId: string): SamplingResult {
  return sampler.shouldSample(context, traceId, 'span', SpanKind.INTERNAL, {}, []);
}

function childContext(traceId: string, spanId: string, sampled: boolean, traceState?: TraceState, isRemote = true): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
    traceState,
  });
}

const PROBABILITIES = [1, 0.5, 0.25, 0.1, 0.01, 0.001, 1 / 3];

describe('root decisions agree with @opentelemetry/sampler-composite', () => {
  it.each(PROBABILITIES)('p=%d, exact thresholds: identical decisions and tracestate on 20,000 random ids', (p) => {
    const ours = new DyntelSampler({ root: probability(p), precision: 14 });
    const theirs = createCompositeSampler(createComposableProbabilitySampler(p));
    const ids = new SeededIds(42);
    let sampled = 0;
    for (let i = 0; i < 20_000; i++) {
      const traceId = ids.traceId();
      const a = decide(ours, ROOT_CONTEXT, traceId);
      const b = decide(theirs, ROOT_CONTEXT, traceId);
      expect(a.decision, traceId).toBe(b.decision);
      expect(a.traceState?.serialize(), traceId).toBe(b.traceState?.serialize());
      if (a.decision === SAMPLED) sampled++;
    }
    // The comparison is only meaningful when both outcomes occur.
    if (p < 1) {
      expect(sampled).toBeGreaterThan(0);
      expect(sampled).toBeLessThan(20_000);
    } else {
      expect(sampled).toBe(20_000);
    }
  });

  it.each(PROBABILITIES)('p=%d, default 4-digit precision: identical decisions on 20,000 random ids', (p) => {
    const ours = new DyntelSampler({ root: probability(p) });
    const theirs = createCompositeSampler(createComposableProbabilitySampler(p));
    const ids = new SeededIds(7);
    for (let i = 0; i < 20_000; i++) {
      const traceId = ids.traceId();
      expect(decide(ours, ROOT_CONTEXT, traceId).decision, traceId).toBe(decide(theirs, ROOT_CONTEXT, traceId).decision);
    }
  });
});

describe('child decisions agree with sampler-composite', () => {
  const theirsParent = createCompositeSampler(createComposableParentThresholdSampler(createComposableAlwaysOnSampler()));
  const oursParent = new DyntelSampler();

  it('following a conformant parent (sampled exactly when R >= th): same decision and tracestate', () => {
    const ids = new SeededIds(3);
    let sampledParents = 0;
    for (let i = 0; i < 10_000; i++) {
      const traceId = ids.traceId();
      const rv = ids.randomness();
      const th = ['8', 'c', 'fd70a', '0', 'e666'][i % 5]!;
      const withRv = i % 2 === 0;
      const r = BigInt(`0x${withRv ? rv : traceId.slice(-14)}`);
      const sampledFlag = r >= BigInt(`0x${th.padEnd(14, '0')}`);
      // An upstream conformant sampler writes th only on the spans it keeps.
      const state = new CoreTraceState(`vendor=x,ot=${sampledFlag ? `th:${th}` : ''}${withRv ? `${sampledFlag ? ';' : ''}rv:${rv}` : ''}`);
      const context = childContext(traceId, ids.spanId(), sampledFlag, state);
      expectSameOutcome(decide(oursParent, context, traceId), decide(theirsParent, context, traceId), state);
      if (sampledFlag) sampledParents++;
    }
    expect(sampledParents).toBeGreaterThan(2_000);
    expect(sampledParents).toBeLessThan(8_000);
  });

  it.each([0.5, 0.1, 0.01])('an independent probability rule on children, p=%d, with and without rv', (p) => {
    const ours = new DyntelSampler({ rules: [{ policy: probability(p) }], precision: 14 });
    const theirs = createCompositeSampler(createComposableProbabilitySampler(p));
    const ids = new SeededIds(11);
    for (let i = 0; i < 5_000; i++) {
      const traceId = ids.traceId();
      const state = new CoreTraceState(i % 2 === 0 ? `ot=th:c;rv:${ids.randomness()};zz:1` : 'ot=th:8');
      const context = childContext(traceId, ids.spanId(), true, state, false);
      expectSameOutcome(decide(ours, context, traceId), decide(theirs, context, traceId), state);
    }
  });
});

describe('tracestate handling', () => {
  it('writes ot=th on sampled root spans and nothing on dropped ones', () => {
    const sampler = new DyntelSampler({ root: probability(0.5) });
    expect(decide(sampler, ROOT_CONTEXT, '0000000000000000008fffffffffffff')).toMatchObject({ decision: SAMPLED });
    expect(decide(sampler, ROOT_CONTEXT, '0000000000000000008fffffffffffff').traceState?.serialize()).toBe('ot=th:8');
    expect(decide(sampler, ROOT_CONTEXT, '0000000000000000007fffffffffffff')).toEqual({ decision: SamplingDecision.NOT_RECORD });
  });

  it('uses rv rather than the trace id when the parent carries one, and never rewrites it', () => {
    const sampler = new DyntelSampler({ rules: [{ policy: probability(0.5) }] });
    const traceId = 'ffffffffffffffffffffffffffffffff';
    const low = childContext(traceId, '1111111111111111', true, new CoreTraceState('ot=rv:10000000000000'));
    expect(decide(sampler, low, traceId).decision).toBe(SamplingDecision.NOT_RECORD);
    const high = childContext(traceId, '1111111111111111', true, new CoreTraceState('ot=rv:90000000000000'));
    expect(decide(sampler, high, traceId).traceState?.get('ot')).toBe('th:8;rv:90000000000000');
  });

  it('erases th when following a parent whose sampled flag contradicts its threshold', () => {
    const sampler = new DyntelSampler({ rules: [{ policy: parent() }] });
    const traceId = '00000000000000000010000000000000';
    // R = 0x10000000000000 < T = 0x80000000000000: a sampled flag here is inconsistent.
    const result = decide(sampler, childContext(traceId, '1111111111111111', true, new CoreTraceState('a=b,ot=th:8;rv:11111111111111;x:y')), traceId);
    expect(result.decision).toBe(SAMPLED);
    expect(result.traceState?.serialize()).toBe('ot=rv:11111111111111;x:y,a=b');
  });

  it('follows the sampled flag of a parent whose threshold contradicts it (sampler-composite re-decides from th)', () => {
    const sampler = new DyntelSampler();
    const traceId = '000000000000000000f0000000000000';
    const state = new CoreTraceState('ot=th:8');
    const result = decide(sampler, childContext(traceId, '1111111111111111', false, state), traceId);
    expect(result.decision).toBe(SamplingDecision.NOT_RECORD);
    expect(result.traceState?.get('ot')).toBeUndefined();
  });

  it('keeps the sampled flag of a parent without threshold, and writes none', () => {
    const sampler = new DyntelSampler();
    const traceId = '00000000000000000010000000000000';
    const state = new CoreTraceState('ot=rv:11111111111111');
    const result = decide(sampler, childContext(traceId, '1111111111111111', true, state), traceId);
    expect(result.decision).toBe(SAMPLED);
    expect(result.traceState ?? state).toBe(state);
  });
});
