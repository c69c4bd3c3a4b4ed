import { describe, expect, it } from 'vitest';
import { CallsInFlight, type InFlightCall } from './calls-in-flight';

/** A call that counts how often a lookup reads it: one read per call visited. */
class CountedCall implements InFlightCall {
  static visits = 0;
  older: this | undefined = undefined;
  newer: this | undefined = undefined;
  readonly #arguments: object = [];

  get arguments(): object {
    CountedCall.visits++;
    return this.#arguments;
  }

  /** The array, without counting a visit. */
  key(): object {
    return this.#arguments;
  }
}

/** Visits `find` makes to find `call`, checking that it finds it. */
function visitsToFind(calls: CallsInFlight<CountedCall>, call: CountedCall): number {
  CountedCall.visits = 0;
  const found = calls.find(call.key());
  const visits = CountedCall.visits;
  expect(found).toBe(call);
  return visits;
}

describe('CallsInFlight', () => {
  it('finds a call among 10,000 in flight visiting a number of calls that does not grow with them', () => {
    const calls = new CallsInFlight<CountedCall>();
    const hung = Array.from({ length: 10_000 }, () => new CountedCall());
    for (const call of hung) calls.add(call);
    const latest = Array.from({ length: 100 }, () => new CountedCall());
    for (const call of latest) calls.add(call);

    // Each later failure is about a call started after the hung ones, or about a hung one.
    const visits = [...latest, hung[0]!, hung[5_000]!, hung[9_999]!].map((call) => visitsToFind(calls, call));
    expect(Math.max(...visits)).toBeLessThanOrEqual(CallsInFlight.SCANNED + 1);
  });

  it('finds every call until it is removed, whatever the order of removal', () => {
    const calls = new CallsInFlight<CountedCall>();
    const all = Array.from({ length: 3 * CallsInFlight.SCANNED }, () => new CountedCall());
    for (const call of all) calls.add(call);
    // Oldest, newest, then every third: calls settling out of order.
    const removed = new Set([all[0]!, all.at(-1)!, ...all.filter((_, i) => i % 3 === 1)]);
    for (const call of removed) calls.remove(call);
    for (const call of all) {
      if (removed.has(call)) expect(calls.find(call.key())).toBeUndefined();
      else expect(calls.find(call.key())).toBe(call);
    }
    expect(calls.find([])).toBeUndefined();
  });
});
