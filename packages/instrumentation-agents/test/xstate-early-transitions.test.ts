// How transitions are told on XState releases before 5.7 (from the state nodes of successive
// snapshots) against later ones (from @xstate.microstep), on one machine that takes each kind of
// transition: where they differ is what the README's supported-versions table says.
import { afterEach, describe, expect, it } from 'vitest';
import { ATTR_ACTOR_STATE_FROM, ATTR_ACTOR_STATE_TO, METRIC_ACTOR_STATE_TRANSITIONS } from '@dyntel/semconv';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import type { XStateModule } from './support/machines';

/** A machine with a self-transition, an eventless one, nested states, a transition out of a child, and parallel regions. */
function flowMachine(x: XStateModule) {
  return x.createMachine({
    id: 'flow',
    initial: 'idle',
    states: {
      idle: { on: { START: 'checking', REFRESH: { target: 'idle', reenter: true }, SPLIT: 'both' } },
      checking: { always: 'work' },
      work: {
        initial: 'step1',
        states: { step1: { on: { NEXT: 'step2', ABORT: '#flow.cancelled' } }, step2: {} },
        on: { CANCEL: 'cancelled' },
      },
      cancelled: { on: { RESET: 'idle' } },
      both: {
        type: 'parallel',
        states: { left: { initial: 'l1', states: { l1: { on: { GO: 'l2' } }, l2: {} } }, right: { initial: 'r1', states: { r1: { on: { GO: 'r2' } }, r2: {} } } },
      },
    },
  });
}

const EVENTS = ['REFRESH', 'START', 'NEXT', 'CANCEL', 'RESET', 'START', 'ABORT', 'RESET', 'SPLIT', 'GO'];

/** Counted by both ways alike. */
const COMMON: [string, string, number][] = [
  ['flow.work.step1', 'flow.work.step2', 1],
  ['flow.work', 'flow.cancelled', 1],
  ['flow.cancelled', 'flow.idle', 2],
  ['flow.idle', 'flow.both', 1],
  ['flow.both.left.l1', 'flow.both.left.l2', 1],
  ['flow.both.right.r1', 'flow.both.right.r2', 1],
];

const FROM_MICROSTEPS: [string, string, number][] = [
  ...COMMON,
  // The self-transition.
  ['flow.idle', 'flow.idle', 1],
  // Each microstep of the macrostep START takes.
  ['flow.idle', 'flow.checking', 2],
  ['flow.checking', 'flow.work', 2],
  // ABORT is defined on the child state.
  ['flow.work.step1', 'flow.cancelled', 1],
];

const FROM_SNAPSHOTS: [string, string, number][] = [
  ...COMMON,
  // No self-transition, one change per macrostep, and ABORT from the outermost node it left.
  ['flow.idle', 'flow.work', 2],
  ['flow.work', 'flow.cancelled', 1],
];

const CASES: [string, string, [string, string, number][]][] = [
  ['xstate-v5-0', '5.0.0', FROM_SNAPSHOTS],
  ['xstate-v5-3', '5.3.1', FROM_SNAPSHOTS],
  ['xstate-v5-6', '5.6.2', FROM_SNAPSHOTS],
  ['xstate-v5-7', '5.7.0', FROM_MICROSTEPS],
  ['xstate', 'the latest', FROM_MICROSTEPS],
];

describe.each(CASES)('transitions on %s (%s)', (alias, _version, expected) => {
  let harness: InstrumentationHarness<AgentsInstrumentation>;
  afterEach(() => harness.close());
  const loaders: [string, (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<XStateModule>][] = [
    ['required', async (h) => h.require<XStateModule>(alias)],
    ['imported', (h) => h.import<XStateModule>(alias)],
  ];
  it.each(loaders)('%s', async (_how, load) => {
    harness = agentsHarness();
    const x = await load(harness);
    const actor = x.createActor(flowMachine(x)).start();
    for (const type of EVENTS) actor.send({ type } as never);
    expect(actor.getSnapshot().value).toEqual({ both: { left: 'l2', right: 'r2' } });
    const counted = (await harness.points(METRIC_ACTOR_STATE_TRANSITIONS)).map((p) => [p.attributes[ATTR_ACTOR_STATE_FROM], p.attributes[ATTR_ACTOR_STATE_TO], p.value]);
    expect(counted).toEqual(expect.arrayContaining(merged(expected)));
    expect(counted).toHaveLength(merged(expected).length);
  });
});

/** The expected points: the same from and to counted once, summed. */
function merged(rows: [string, string, number][]): [string, string, number][] {
  const sums = new Map<string, number>();
  for (const [from, to, n] of rows) sums.set(`${from}>${to}`, (sums.get(`${from}>${to}`) ?? 0) + n);
  return [...sums].map(([key, n]) => [...(key.split('>') as [string, string]), n]);
}
