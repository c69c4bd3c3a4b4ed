import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SeededIds } from '../test/seeded-ids';
import { simulate } from '../test/simulate';
import type { SecondStats } from '../test/simulate';
import { ManualClock } from './clock';
import { DyntelSampler } from './dyntel-sampler';
import { sharedBudget, spansPerSecond } from './policy';
import { ProbabilityLadder } from './budget';

const sum = (seconds: readonly SecondStats[], key: keyof SecondStats): number => seconds.reduce((a, s) => a + s[key], 0);

function budgetSampler(clock: ManualClock, rate = 1000): DyntelSampler {
  return new DyntelSampler({ root: spansPerSecond(rate), clock, sampleRateAttribute: 'SampleRate' });
}

describe('ProbabilityLadder.indexAtMost', () => {
  it('picks the largest ladder probability not above the request', () => {
    expect(ProbabilityLadder.indexAtMost(1)).toBe(0);
    expect(ProbabilityLadder.indexAtMost(2)).toBe(0);
    expect(ProbabilityLadder.indexAtMost(0.5)).toBe(32);
    expect(2 ** (-ProbabilityLadder.indexAtMost(0.1) / 32)).toBeLessThanOrEqual(0.1);
    expect(2 ** (-(ProbabilityLadder.indexAtMost(0.1) - 1) / 32)).toBeGreaterThan(0.1);
    expect(ProbabilityLadder.indexAtMost(0)).toBe(56 * 32);
  });
});

describe('spans-per-second budget', () => {
  it.each([
    [1_000, 1, 1],
    [10_000, 0.1, 0.1],
    [100_000, 0.01, 0.1],
  ])('a budget of 1000/s at %i spans/s keeps a fraction of about %d', (rate, fraction, tolerance) => {
    const clock = new ManualClock();
    const stats = simulate(budgetSampler(clock), clock, new SeededIds(rate), [{ name: 'op', perSecond: rate }], 6).get('op')!;
    // After the first two windows the probability has settled.
    for (const second of stats.slice(2)) {
      expect(second.sampled / second.arrived).toBeGreaterThan(fraction * (1 - tolerance) * 0.93);
      expect(second.sampled / second.arrived).toBeLessThanOrEqual(fraction * (1 + tolerance));
      expect(second.sampled).toBeGreaterThan(850);
      expect(second.sampled).toBeLessThanOrEqual(1100);
    }
  });

  it('converges within a few windows after load steps 1K -> 100K -> 1K spans/s', () => {
    const clock = new ManualClock();
    const sampler = budgetSampler(clock);
    const ids = new SeededIds(99);
    const before = simulate(sampler, clock, ids, [{ name: 'op', perSecond: 1_000 }], 4).get('op')!;
    const burst = simulate(sampler, clock, ids, [{ name: 'op', perSecond: 100_000 }], 5).get('op')!;
    const after = simulate(sampler, clock, ids, [{ name: 'op', perSecond: 1_000 }], 6).get('op')!;

    expect(before.map((s) => s.sampled)).toEqual([1000, 1000, 1000, 1000]);
    // Decreasing at once: the step's own window overshoots at most about twice, then it holds.
    expect(burst[0]!.sampled).toBeLessThan(2_500);
    for (const second of burst.slice(1)) {
      expect(second.sampled).toBeGreaterThan(850);
      expect(second.sampled).toBeLessThan(1_150);
    }
    // Increasing gradually (at most 4x a window): back to keeping everything within four windows.
    expect(after[0]!.sampled).toBeLessThan(100);
    for (const second of after.slice(4)) expect(second.sampled).toBeGreaterThanOrEqual(second.arrived * 0.99);
    for (let i = 1; i < after.length; i++) expect(after[i]!.sampled).toBeGreaterThanOrEqual(after[i - 1]!.sampled);
  });

  it('is deterministic: the same ids and clock give the same decisions', () => {
    const run = (): number[] => {
      const clock = new ManualClock();
      const sampler = budgetSampler(clock, 50);
      const ids = new SeededIds(5);
      const decisions: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        clock.advance(0.37 + (i % 7) * 0.01);
        decisions.push(sampler.shouldSample(ROOT_CONTEXT, ids.traceId(), 'op', SpanKind.INTERNAL, {}, []).decision);
      }
      return decisions;
    };
    const first = run();
    expect(first).toEqual(run());
    expect(new Set(first).size).toBe(2);
  });

  it('estimates the true count within 5% from adjusted counts, across load steps', () => {
    const clock = new ManualClock();
    const sampler = budgetSampler(clock, 500);
    const ids = new SeededIds(1234);
    let arrived = 0;
    let adjusted = 0;
    for (const rate of [2_000, 40_000, 5_000, 60_000]) {
      const stats = simulate(sampler, clock, ids, [{ name: 'op', perSecond: rate }], 2).get('op')!;
      arrived += sum(stats, 'arrived');
      adjusted += sum(stats, 'adjusted');
    }
    expect(arrived).toBeGreaterThan(100_000);
    expect(Math.abs(adjusted / arrived - 1)).toBeLessThan(0.05);
  });
});

describe('global budget', () => {
  const streams = [
    { name: 'busy-a', perSecond: 10_000 },
    { name: 'rare', perSecond: 100 },
    { name: 'busy-c', perSecond: 50_000 },
  ];

  function sharing(clock: ManualClock, total: number, floor?: number): DyntelSampler {
    return new DyntelSampler({
      clock,
      globalBudget: { spansPerSecond: total, floor },
      sampleRateAttribute: 'SampleRate',
      rules: streams.map((s) => ({ name: s.name, match: { spanName: s.name }, policy: sharedBudget() })),
    });
  }

  it('divides the budget fairly: rare rules keep everything, busy ones split the rest', () => {
    const clock = new ManualClock();
    const stats = simulate(sharing(clock, 1_000), clock, new SeededIds(8), streams, 8);
    for (const second of [5, 6, 7]) {
      const a = stats.get('busy-a')![second]!;
      const c = stats.get('busy-c')![second]!;
      const rare = stats.get('rare')![second]!;
      expect(rare.sampled).toBe(rare.arrived);
      // Water level: (1000 - 100) / 2 = 450 each.
      expect(a.sampled).toBeGreaterThan(380);
      expect(a.sampled).toBeLessThan(520);
      expect(c.sampled).toBeGreaterThan(380);
      expect(c.sampled).toBeLessThan(520);
    }
  });

  it('never starves a rule below its floor', () => {
    const clock = new ManualClock();
    // A budget far below the traffic: the level would be about 10/s; the floor lifts it to 200/s.
    const stats = simulate(sharing(clock, 30, 200), clock, new SeededIds(9), streams, 6);
    for (const name of ['busy-a', 'busy-c']) {
      const last = stats.get(name)![5]!;
      expect(last.sampled).toBeGreaterThan(160);
      expect(last.sampled).toBeLessThan(240);
    }
    expect(stats.get('rare')![5]!.sampled).toBe(100);
  });

  it('grows a lone sharing rule back after a load drop exactly as fast as an own budget (at most maxGrowth a window)', () => {
    const recovery = (shared: boolean): number[] => {
      const clock = new ManualClock();
      const sampler = shared
        ? new DyntelSampler({ clock, globalBudget: { spansPerSecond: 1_000 }, rules: [{ name: 'op', match: { spanName: 'op' }, policy: sharedBudget() }] })
        : new DyntelSampler({ clock, root: spansPerSecond(1_000) });
      const ids = new SeededIds(11);
      simulate(sampler, clock, ids, [{ name: 'op', perSecond: 100_000 }], 4);
      return simulate(sampler, clock, ids, [{ name: 'op', perSecond: 1_000 }], 6).get('op')!.map((s) => s.sampled);
    };
    const own = recovery(false);
    expect(own[0]).toBeLessThan(100);
    expect(own[5]).toBe(1_000);
    expect(recovery(true)).toEqual(own);
  });

  it('estimates each rule\'s true count within 5% from adjusted counts', () => {
    const clock = new ManualClock();
    const stats = simulate(sharing(clock, 1_000), clock, new SeededIds(10), streams, 4);
    for (const name of ['busy-a', 'busy-c', 'rare']) {
      const seconds = stats.get(name)!;
      expect(Math.abs(sum(seconds, 'adjusted') / sum(seconds, 'arrived') - 1)).toBeLessThan(0.05);
    }
  });
});
