// What the instrumentation costs an XState actor system and an OpenAI Agents SDK run, next to
// the OpenTelemetry SDK's own floor for the same telemetry (by hand inside each library, and
// alone), in one run. Times are CPU time (process.cpuUsage), medians of the runs. Runs the
// built package:
//   npm run bench -w @dyntel/instrumentation-agents
// Each case list runs BENCH_ROUNDS times, each case's median round kept; an XState iteration
// is 100,000 events, BENCH_XSTATE_ITERATIONS of them per case and round, an OpenAI Agents case
// runs for BENCH_MILLIS of CPU time (defaults below). A quick look:
//   BENCH_ROUNDS=1 BENCH_XSTATE_ITERATIONS=5 BENCH_MILLIS=500 npm run bench -w @dyntel/instrumentation-agents
import { benchEnvironment, markdownTable, resultsTable, RESULTS_LEGEND, saveResults, useAsyncLocalStorageContext, type CaseResult } from '@dyntel/bench-kit';
import { OPENAI_BARE, SDK_SPANS_PER_RUN, openaiByHand, openaiCases, openaiChecks, openaiDyntel, openaiFloor } from './openai-cases.ts';
import { runRounds } from './rounds.ts';
import type { AgentsSetup } from './sdk.ts';
import { SETUPS, XSTATE_BARE, xstateByHand, xstateCases, xstateChecks, xstateDyntel, xstateFloor } from './xstate-cases.ts';

const BENCH_MILLIS = Number(process.env.BENCH_MILLIS ?? 2_000);
const cpuMillis = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const XSTATE_ITERATIONS = Number(process.env.BENCH_XSTATE_ITERATIONS ?? 15);
const XSTATE_OPTIONS = { bench: { time: 0, iterations: XSTATE_ITERATIONS, warmupTime: 0, warmupIterations: 2, now: cpuMillis }, statistic: 'median' as const };
const OPENAI_OPTIONS = { bench: { time: BENCH_MILLIS, warmupTime: BENCH_MILLIS / 4, now: cpuMillis }, statistic: 'median' as const };

useAsyncLocalStorageContext();

const xstate = await runRounds(xstateCases, ROUNDS, XSTATE_OPTIONS);
const openai = await runRounds(openaiCases, ROUNDS, OPENAI_OPTIONS);
const byName = new Map<string, CaseResult>([...xstate, ...openai].map((result) => [result.name, result]));
const of = (name: string) => byName.get(name)!;

interface Names {
  bare: string;
  dyntel: (setup: AgentsSetup) => string;
  byHand: (setup: AgentsSetup) => string;
  floor: (setup: AgentsSetup) => string;
}

/** A set-up's figures per operation, and per event (`eventsPerOp` of them in each). */
function summarise({ bare, dyntel, byHand, floor }: Names, setup: AgentsSetup, eventsPerOp: number) {
  const [b, d, h, f] = [of(bare), of(dyntel(setup)), of(byHand(setup)), of(floor(setup))];
  return {
    setup,
    bareNs: b.nsPerOp,
    dyntelNs: d.nsPerOp,
    ratioToBare: d.nsPerOp / b.nsPerOp,
    added: d.nsPerOp - b.nsPerOp,
    floorByHand: h.nsPerOp - b.nsPerOp,
    floorAlone: f.nsPerOp,
    aboveFloorPerEvent: (d.nsPerOp - h.nsPerOp) / eventsPerOp,
    bytesAboveFloorPerEvent: (d.allocation!.bytesPerOp - h.allocation!.bytesPerOp) / eventsPerOp,
  };
}

const figure = (value: number) => (Math.abs(value) < 100 ? value.toPrecision(3) : value.toFixed(0));
const table = (unit: string, event: string, rows: ReturnType<typeof summarise>[]) =>
  markdownTable(
    ['set-up', `bare (${unit})`, `dyntel (${unit})`, 'ratio to bare', `added (${unit})`, `floor by hand (${unit})`, `floor alone (${unit})`, `above floor per ${event} (ns)`, `above floor per ${event} (B)`],
    rows.map((s) => [s.setup, figure(s.bareNs), figure(s.dyntelNs), s.ratioToBare.toFixed(2), figure(s.added), figure(s.floorByHand), figure(s.floorAlone), figure(s.aboveFloorPerEvent), figure(s.bytesAboveFloorPerEvent)]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );

const xstateSummary = SETUPS.map((setup) => summarise({ bare: XSTATE_BARE, dyntel: xstateDyntel, byHand: xstateByHand, floor: xstateFloor }, setup, 1));
const openaiSummary = SETUPS.map((setup) => summarise({ bare: OPENAI_BARE, dyntel: openaiDyntel, byHand: openaiByHand, floor: openaiFloor }, setup, SDK_SPANS_PER_RUN));
const microseconds = (rows: ReturnType<typeof summarise>[]) =>
  rows.map((row) => ({ ...row, bareNs: row.bareNs / 1000, dyntelNs: row.dyntelNs / 1000, added: row.added / 1000, floorByHand: row.floorByHand / 1000, floorAlone: row.floorAlone / 1000 }));

console.log(`${benchEnvironment()}; CPU time; medians of the runs, median of ${ROUNDS} rounds\n`);
console.log(`### XState: the counter machine, per event (one message, one transition)\n\n${table('ns', 'event', xstateSummary)}\n`);
console.log(`### OpenAI Agents SDK: the seed workflow, per run (${SDK_SPANS_PER_RUN} SDK spans and traces)\n\n${table('µs', 'SDK span', microseconds(openaiSummary))}\n`);
console.log(`### Every case\n\n${resultsTable([...xstate, ...openai])}\n`);
console.log(`${RESULTS_LEGEND}\n`);
console.log(`XState: message-duration count and transitions sum = events sent, checked after each instrumented case (${xstateChecks()} checks)`);
console.log(`OpenAI Agents: workflow-duration count = runs, invoke_agent-duration count = 2 per run, checked after each instrumented case (${openaiChecks()} checks)`);
saveResults('agents', { environment: benchEnvironment(), results: [...byName.values()], xstate: xstateSummary, openai: openaiSummary });
