import { describe, expect, it } from 'vitest';
import { History } from './history';
import type { Sample } from './sample';

const sample = (time: number, state: string | null): Sample => ({
  time,
  intervalSeconds: 1,
  breakers: state === null ? [] : [{ name: 'inventory', state, callsPerSecond: {}, latencySeconds: { p50: null, p99: null }, stateChanges: 0 }],
  retries: [],
  pools: [],
  agents: [],
  tools: [],
  actors: [],
  runtime: { eventLoopDelayP99Seconds: null, eventLoopUtilization: null, heapUsedBytes: null, heapSizeBytes: null },
});

describe('History', () => {
  it('keeps the samples of the window and at most its capacity', () => {
    const history = new History(10_000, 5);
    for (let t = 0; t <= 20_000; t += 1_000) history.add(sample(t, 'closed'));
    expect(history.window().map((s) => s.time)).toEqual([16_000, 17_000, 18_000, 19_000, 20_000]);
    const wide = new History(5_000, 100);
    for (let t = 0; t <= 20_000; t += 1_000) wide.add(sample(t, 'closed'));
    expect(wide.window()[0]!.time).toBe(15_000);
  });

  it("records a breaker's state changes, keeps the one in force at the window's start, and knows since when the state holds", () => {
    const history = new History(10_000, 100);
    history.add(sample(0, 'closed'));
    expect(history.stateSince('inventory')).toEqual({ time: 0, exact: false });
    history.add(sample(1_000, 'open'));
    history.add(sample(2_000, 'open'));
    history.add(sample(5_000, 'half_open'));
    history.add(sample(6_000, 'closed'));
    expect(history.stateSince('inventory')).toEqual({ time: 6_000, exact: true });
    history.add(sample(14_000, 'closed'));
    // The window starts at 4 s: the open state of 1 s was in force then and stays; closed at 0 s goes.
    expect(history.breakerTimelines()['inventory']).toEqual([
      { time: 1_000, state: 'open' },
      { time: 5_000, state: 'half_open' },
      { time: 6_000, state: 'closed' },
    ]);
  });

  it('forgets a breaker no sample shows any more once its last change left the window', () => {
    const history = new History(10_000, 100);
    history.add(sample(0, 'open'));
    history.add(sample(20_000, null));
    expect(history.breakerTimelines()).toEqual({});
    expect(history.stateSince('inventory')).toBeUndefined();
  });
});
