// What the instrumentation costs an XState actor system and an OpenAI Agents SDK run, next to
// the OpenTelemetry SDK's own floor for the same telemetry (by hand inside each library, and
// alone), in one run. Times are CPU time (process.cpuUsage). Runs the built package:
//   npm run bench -w @dyntel/instrumentation-agents
// XState: each case list runs BENCH_ROUNDS times, each case's median round kept; an iteration
// is 100,000 events, BENCH_XSTATE_ITERATIONS of them per case and round. OpenAI Agents:
// BENCH_OPENAI_ROUNDS paired rounds per set-up, each one run of every variant (bare, by hand,
// dyntel) timed on its own, after BENCH_OPENAI_WARMUP rounds dropped; the medians of the runs
// and of the differences within a round, with bootstrap 95 % intervals; the floor alone as
// XState's cases are. A quick look:
//   BENCH_ROUNDS=1 BENCH_XSTATE_ITERATIONS=5 BENCH_OPENAI_ROUNDS=1000 npm run bench -w @dyntel/instrumentation-agents
import { loadavg } from 'node:os';
import { benchEnvironment, markdownTable, resultsTable, RESULTS_LEGEND, saveResults, useAsyncLocalStorageContext, type CaseResult } from '@dyntel/bench-kit';
import { openaiFloor, openaiFloorCases } from './openai-cases.ts';
import { pairedOpenAi, SDK_SPANS_PER_RUN, type PairedResult } from './openai-paired.ts';
import type { MedianInterval } from './paired-statistics.ts';
import { runRounds } from './rounds.ts';
import type { AgentsSetup } from './sdk.ts';
import { SETUPS, XSTATE_BARE, xstateByHand, xstateCases, xstateChecks, xstateDyntel, xstateFloor } from './xstate-cases.ts';

const cpuMillis = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const XSTATE_ITERATIONS = Number(process.env.BENCH_XSTATE_ITERATIONS ?? 15);
const XSTATE_OPTIONS = { bench: { time: 0, iterations: XSTATE_ITERATIONS, warmupTime: 0, warmupIterations: 2, now: cpuMillis }, statistic: 'median' as const };
const FLOOR_OPTIONS = { bench: { time: 1_000, warmupTime: 250, now: cpuMillis }, statistic: 'median' as const };
const OPENAI_ROUNDS = Number(process.env.BENCH_OPENAI_ROUNDS ?? 10_000);
const OPENAI_WARMUP = Number(process.env.BENCH_OPENAI_WARMUP ?? 1_000);
// The 1-minute load average: how much other work shared the cores.
const load = () => loadavg()[0]!.toFixed(2);

useAsyncLocalStorageContext();

const loadAtStart = load();
const started = performance.now();
const xstate = await runRounds(xstateCases, ROUNDS, XSTATE_OPTIONS);
const floors = await runRounds(openaiFloorCases, ROUNDS, FLOOR_OPTIONS);
const paired = await pairedOpenAi(SETUPS, { rounds: OPENAI_ROUNDS, warmupRounds: OPENAI_WARMUP, allocationRuns: 1_000 });
const loadAtEnd = load();
const minutes = (performance.now() - started) / 60_000;
const byName = new Map<string, CaseResult>([...xstate, ...floors].map((result) => [result.name, result]));
const of = (name: string) => byName.get(name)!;

/** An XState set-up's figures per event. */
function summarise(setup: AgentsSetup) {
  const [b, d, h, f] = [of(XSTATE_BARE), of(xstateDyntel(setup)), of(xstateByHand(setup)), of(xstateFloor(setup))];
  return {
    setup,
    bareNs: b.nsPerOp,
    dyntelNs: d.nsPerOp,
    ratioToBare: d.nsPerOp / b.nsPerOp,
    added: d.nsPerOp - b.nsPerOp,
    floorByHand: h.nsPerOp - b.nsPerOp,
    floorAlone: f.nsPerOp,
    aboveFloorPerEvent: d.nsPerOp - h.nsPerOp,
    bytesAboveFloorPerEvent: d.allocation!.bytesPerOp - h.allocation!.bytesPerOp,
  };
}

const figure = (value: number) => (Math.abs(value) < 100 ? value.toPrecision(3) : value.toFixed(0));
const xstateSummary = SETUPS.map(summarise);
const xstateTable = markdownTable(
  ['set-up', 'bare (ns)', 'dyntel (ns)', 'ratio to bare', 'added (ns)', 'floor by hand (ns)', 'floor alone (ns)', 'above floor per event (ns)', 'above floor per event (B)'],
  xstateSummary.map((s) => [s.setup, figure(s.bareNs), figure(s.dyntelNs), s.ratioToBare.toFixed(2), figure(s.added), figure(s.floorByHand), figure(s.floorAlone), figure(s.aboveFloorPerEvent), figure(s.bytesAboveFloorPerEvent)]),
  ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
);

const withInterval = (m: MedianInterval, scale = 1) => `${figure(m.median / scale)} [${figure(m.low / scale)}, ${figure(m.high / scale)}]`;
const openaiSummary = paired.map((p: PairedResult) => ({
  ...p,
  floorAloneMicros: of(openaiFloor(p.setup)).nsPerOp / 1000,
  aboveFloorPerSpanNs: { median: (p.aboveFloor.median * 1000) / SDK_SPANS_PER_RUN, low: (p.aboveFloor.low * 1000) / SDK_SPANS_PER_RUN, high: (p.aboveFloor.high * 1000) / SDK_SPANS_PER_RUN },
  bytesAboveFloorPerSpan: (p.bytes.dyntel - p.bytes['by hand']) / SDK_SPANS_PER_RUN,
}));
const openaiTable = markdownTable(
  ['set-up', 'bare (µs)', 'by hand (µs)', 'dyntel (µs)', 'ratio to bare', 'added (µs)', 'floor by hand (µs)', 'floor alone (µs)', 'above floor (µs)', 'above floor per SDK span (ns)', 'above floor per SDK span (B)'],
  openaiSummary.map((s) => [
    s.setup,
    figure(s.bare.median),
    figure(s.byHand.median),
    figure(s.dyntel.median),
    (s.dyntel.median / s.bare.median).toFixed(2),
    withInterval(s.added),
    withInterval(s.floorByHand),
    figure(s.floorAloneMicros),
    withInterval(s.aboveFloor),
    `${figure(s.aboveFloorPerSpanNs.median)} [${figure(s.aboveFloorPerSpanNs.low)}, ${figure(s.aboveFloorPerSpanNs.high)}]`,
    figure(s.bytesAboveFloorPerSpan),
  ]),
  ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
);

console.log(`${benchEnvironment()}; CPU time; load average ${loadAtStart} at the start, ${loadAtEnd} at the end, ${minutes.toFixed(1)} minutes\n`);
console.log(`### XState: the counter machine, per event (one message, one transition); medians of the runs, median of ${ROUNDS} rounds\n\n${xstateTable}\n`);
console.log(
  `### OpenAI Agents SDK: the seed workflow, per run (${SDK_SPANS_PER_RUN} SDK spans and traces)\n\n` +
    `${OPENAI_ROUNDS.toLocaleString('en')} paired rounds per set-up (one run of each variant, in rotating order) after ${OPENAI_WARMUP.toLocaleString('en')} dropped; ` +
    `medians of the runs and, for the differences (taken within each round), the median [bootstrap 95 % interval]; bytes over ${(1_000).toLocaleString('en')} runs of each\n\n${openaiTable}\n`,
);
console.log(`### Every tinybench case\n\n${resultsTable([...xstate, ...floors])}\n`);
console.log(`${RESULTS_LEGEND}\n`);
console.log(`XState: message-duration count and transitions sum = events sent, checked after each instrumented case (${xstateChecks()} checks)`);
console.log('OpenAI Agents: workflow-duration count = instrumented runs, invoke_agent-duration count = 2 per run, checked after the samples and after the allocation count, in each set-up');
saveResults('agents', { environment: benchEnvironment(), load: { start: loadAtStart, end: loadAtEnd }, results: [...byName.values()], xstate: xstateSummary, openai: openaiSummary });
