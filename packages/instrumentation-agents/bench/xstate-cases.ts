// The XState cases: the counter machine processing 100,000 events bare, with the SDK floor by
// hand in an `inspect` option, instrumented, and the floor alone, in each SDK set-up.
import { createRequire } from 'node:module';
import type { BenchCase } from '@dyntel/bench-kit';
import { METRIC_ACTOR_MESSAGE_DURATION, METRIC_ACTOR_STATE_TRANSITIONS } from '@dyntel/semconv';
import { metricTotals } from './metric-totals.ts';
import { instrumentationOn, patchRequired } from './instrument.ts';
import { agentsSdk, type AgentsSetup } from './sdk.ts';
import { floorAlone, floorInspector } from './xstate-floor.ts';
import { EVENTS, counterMachine, runCounter, type XStateModule } from './xstate-machine.ts';

const require = createRequire(import.meta.url);
const x = require('xstate') as XStateModule;
const machine = counterMachine(x);

/** The SDK set-ups, in the order the tables show them. */
export const SETUPS: readonly AgentsSetup[] = ['metrics only', 'spans at 1%'];

/** Case names. */
export const XSTATE_BARE = `xstate, ${EVENTS.toLocaleString('en')} events`;
export const xstateByHand = (setup: AgentsSetup) => `${XSTATE_BARE} + SDK floor by hand (${setup})`;
export const xstateDyntel = (setup: AgentsSetup) => `${XSTATE_BARE} + dyntel (${setup})`;
export const xstateFloor = (setup: AgentsSetup) => `floor: one message and transition (${setup})`;

let runs = 0;
let checks = 0;

/** How many instrumented cases had every message and transition recorded. */
export const xstateChecks = () => checks;

/** Every XState case. */
export function xstateCases(): BenchCase[] {
  const run = (options?: Parameters<typeof runCounter>[2]) => () => {
    runs += 1;
    runCounter(x, machine, options);
  };
  return [
    { name: XSTATE_BARE, run: run(), opsPerRun: EVENTS },
    ...SETUPS.map((setup): BenchCase => {
      const inspector = floorInspector(agentsSdk(setup));
      return {
        name: xstateByHand(setup),
        run: () => runCounter(x, machine, { inspect: inspector() }),
        opsPerRun: EVENTS,
        bare: XSTATE_BARE,
      };
    }),
    ...SETUPS.map(
      (setup): BenchCase => ({
        name: xstateDyntel(setup),
        run: run(),
        opsPerRun: EVENTS,
        bare: XSTATE_BARE,
        setup: () => {
          const sdk = agentsSdk(setup);
          const unpatch = patchRequired(instrumentationOn(sdk, setup === 'spans at 1%'), 'xstate');
          const before = runs;
          return async () => {
            unpatch();
            const made = (runs - before) * EVENTS;
            const totals = await metricTotals(sdk.metricReader, [METRIC_ACTOR_MESSAGE_DURATION, METRIC_ACTOR_STATE_TRANSITIONS]);
            const [messages, transitions] = [totals.get(METRIC_ACTOR_MESSAGE_DURATION), totals.get(METRIC_ACTOR_STATE_TRANSITIONS)];
            if (messages !== made || transitions !== made) throw new Error(`${xstateDyntel(setup)}: ${messages} messages and ${transitions} transitions recorded, ${made} made`);
            checks += 1;
          };
        },
      }),
    ),
    ...SETUPS.map((setup): BenchCase => ({ name: xstateFloor(setup), run: floorAlone(agentsSdk(setup)), opsPerRun: EVENTS })),
  ];
}
