// Per-call cost of the instrumentation against each bare retry library, on a call that
// succeeds first time and one that fails twice then succeeds, next to the OpenTelemetry SDK's
// own floor for the same telemetry, in one run. Times are CPU time (process.cpuUsage): most
// libraries wait at least 1 ms on a timer between attempts even when asked for 0, and that
// idle wait, the same with and without the instrumentation, is not work. Runs the built package:
//   npm run bench -w @dyntel/instrumentation-retry
// For a quicker look at some of them, name them (titles, comma-separated) and shorten the runs:
//   BENCH_LIBRARIES='p-retry 9,async-retry' BENCH_MILLIS=300 npm run bench -w @dyntel/instrumentation-retry
import {
  RESULTS_LEGEND,
  benchEnvironment,
  benchSdk,
  markdownTable,
  resultsTable,
  runCases,
  runIn,
  saveResults,
  useAsyncLocalStorageContext,
  type BenchCase,
  type CaseResult,
  type SdkConfiguration,
  type Teardown,
} from '@dyntel/bench-kit';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { RetryInstrumentation } from '@dyntel/instrumentation-retry';
import { METRIC_RETRY_ATTEMPT_DURATION, METRIC_RETRY_CALL_DURATION } from '@dyntel/semconv';
import { NAME, floorCall, floorInLibrary } from './floor.ts';
import { LIBRARIES, load, patch, type Exports, type Library, type UserFn } from './libraries.ts';

/** Calls per benchmark iteration, run concurrently; figures are per call. */
const BATCH = 200;
const cpuMillis = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const BENCH_MILLIS = Number(process.env.BENCH_MILLIS ?? 600);
const OPTIONS = { bench: { time: BENCH_MILLIS, warmupTime: BENCH_MILLIS / 4, now: cpuMillis } };
const CHOSEN = process.env.BENCH_LIBRARIES?.split(',').map((title) => title.trim());
const BENCHED = CHOSEN === undefined ? LIBRARIES : LIBRARIES.filter((library) => CHOSEN.includes(library.title));
if (BENCHED.length === 0) throw new Error(`BENCH_LIBRARIES names none of: ${LIBRARIES.map((library) => library.title).join(', ')}`);
const CONFIGURATIONS: readonly SdkConfiguration[] = ['metrics only', 'under an unsampled parent', 'sampled'];
const LABELS: Record<SdkConfiguration, string> = {
  'metrics only': 'metrics only',
  'unsampled root': 'span not sampled',
  'under an unsampled parent': 'unsampled parent',
  sampled: 'sampled',
};
/** The two scenarios: attempts per call, all but the last failing. */
const SCENARIOS = [1, 3] as const;

useAsyncLocalStorageContext();

class Unavailable extends Error {}
// One error for every failed attempt: its stack trace would cost the bare library the same.
const UNAVAILABLE = new Unavailable('unavailable');

/** A user function that fails `failures` times, then succeeds. */
const flaky = (failures: number, i: number): UserFn => {
  let failed = 0;
  return async () => {
    if (failed < failures) {
      failed += 1;
      throw UNAVAILABLE;
    }
    return i;
  };
};

/** The call and attempt durations recorded, from one collection (a second would see only what came after the first). */
async function measurementCounts(reader: MetricReader): Promise<{ recorded: number; attempted: number }> {
  const { resourceMetrics } = await reader.collect();
  const count = (name: string) => {
    let total = 0;
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) total += (point.value as { count: number }).count;
      }
    }
    return total;
  };
  return { recorded: count(METRIC_RETRY_CALL_DURATION), attempted: count(METRIC_RETRY_ATTEMPT_DURATION) };
}

let calls = 0;
let checks = 0;

/** An instrumentation with the SDK of `configuration`, patched into the library's modules; the teardown checks every call and attempt was measured. */
async function instrument(library: Library, configuration: SdkConfiguration, attempts: number): Promise<{ exports: Exports; teardown: Teardown }> {
  const sdk = benchSdk(configuration);
  const instrumentation = new RetryInstrumentation({ enabled: false, retryName: () => NAME });
  // As an enabled instrumentation's hooks would see it, with no hook registered: the wrappers
  // of function exports pass calls through while isEnabled() is false.
  (instrumentation as unknown as { _enabled: boolean })._enabled = true;
  if (sdk.tracerProvider !== undefined) instrumentation.setTracerProvider(sdk.tracerProvider);
  instrumentation.setMeterProvider(sdk.meterProvider);
  instrumentation.setLoggerProvider(sdk.loggerProvider);
  const lower = await Promise.all(library.lower.map(async (module) => patch(instrumentation, module, await load(module))));
  const own = patch(instrumentation, library.module, await load(library.module));
  const callsBefore = calls;
  return {
    exports: own.exports,
    teardown: async () => {
      own.unpatch();
      for (const { unpatch } of lower) unpatch();
      const made = calls - callsBefore;
      const { recorded, attempted } = await measurementCounts(sdk.metricReader);
      if (recorded !== made || attempted !== made * attempts) {
        throw new Error(`${library.title}: ${recorded} calls and ${attempted} attempts recorded, the case made ${made} calls of ${attempts} attempts`);
      }
      checks += 1;
    },
  };
}

const bareName = (library: Library, attempts: number) => `${library.title}, ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}`;
const byHandName = (library: Library, configuration: SdkConfiguration, attempts: number) => `${bareName(library, attempts)} + SDK floor by hand (${LABELS[configuration]})`;

function libraryCases(library: Library): BenchCase[] {
  return SCENARIOS.flatMap((attempts) => {
    let exports: Exports;
    const batch = async () => {
      calls += BATCH;
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < BATCH; i++) pending.push(library.call(exports, flaky(attempts - 1, i)));
      await Promise.all(pending);
    };
    const bare = bareName(library, attempts);
    const byHand = (configuration: SdkConfiguration): BenchCase => {
      const floor = floorInLibrary(configuration);
      const run = (user: () => Promise<unknown>) => library.call(exports, user as UserFn);
      return {
        name: byHandName(library, configuration, attempts),
        run: () =>
          runIn(configuration, async () => {
            const pending: Promise<unknown>[] = [];
            for (let i = 0; i < BATCH; i++) pending.push(floor(run, flaky(attempts - 1, i)));
            await Promise.all(pending);
          }),
        opsPerRun: BATCH,
        bare,
        configuration,
        setup: async () => void (exports = await load(library.module)),
      };
    };
    return [
      { name: bare, run: batch, opsPerRun: BATCH, setup: async () => void (exports = await load(library.module)) },
      ...CONFIGURATIONS.map(byHand),
      ...CONFIGURATIONS.map((configuration) => ({
        name: `${bare} + dyntel (${LABELS[configuration]})`,
        run: () => runIn(configuration, batch),
        opsPerRun: BATCH,
        bare,
        configuration,
        setup: async () => {
          const instrumented = await instrument(library, configuration, attempts);
          exports = instrumented.exports;
          return instrumented.teardown;
        },
      })),
    ];
  });
}

const floorName = (configuration: SdkConfiguration, attempts: number) => `floor: ${attempts === 1 ? '1 attempt' : `${attempts} attempts`} (${LABELS[configuration]})`;
const floorCases: BenchCase[] = SCENARIOS.flatMap((attempts) =>
  CONFIGURATIONS.map((configuration) => {
    const call = floorCall(configuration);
    return {
      name: floorName(configuration, attempts),
      run: () =>
        runIn(configuration, () => {
          for (let i = 0; i < BATCH; i++) call(attempts);
        }),
      opsPerRun: BATCH,
    };
  }),
);

const libraryResults = new Map<Library, CaseResult[]>();
for (const library of BENCHED) libraryResults.set(library, await runCases(libraryCases(library), OPTIONS));
const floorResults = await runCases(floorCases, OPTIONS);
const byName = new Map([...[...libraryResults.values()].flat(), ...floorResults].map((result) => [result.name, result]));
const of = (name: string) => byName.get(name)!;

/**
 * What the instrumentation adds above the SDK floor made by hand in the library, in ns and bytes
 * per call, for a library's scenario; the floor alone for reference.
 */
function aboveFloor(library: Library, configuration: SdkConfiguration, attempts: number) {
  const bare = of(bareName(library, attempts));
  const instrumented = of(`${bareName(library, attempts)} + dyntel (${LABELS[configuration]})`);
  const byHand = of(byHandName(library, configuration, attempts));
  const alone = of(floorName(configuration, attempts));
  const added = instrumented.nsPerOp - bare.nsPerOp;
  const floor = byHand.nsPerOp - bare.nsPerOp;
  const bytes = instrumented.allocation!.bytesPerOp - byHand.allocation!.bytesPerOp;
  return { added, floor, alone: alone.nsPerOp, ns: added - floor, bytes };
}

const figure = (value: number) => (Math.abs(value) < 100 ? value.toPrecision(3) : value.toFixed(0));
const summary: string[][] = [];
const summaryData: unknown[] = [];
for (const library of BENCHED) {
  for (const configuration of CONFIGURATIONS) {
    const one = aboveFloor(library, configuration, 1);
    const three = aboveFloor(library, configuration, 3);
    // Two more attempts (and two retries) separate the scenarios.
    const perAttempt = (three.ns - one.ns) / 2;
    const perCall = one.ns - perAttempt;
    const bytesPerAttempt = (three.bytes - one.bytes) / 2;
    summaryData.push({ library: library.title, configuration, one, three, perCall, perAttempt, bytesPerAttempt });
    summary.push([
      `${library.title}${library.waitsZero ? '' : ' *'}`,
      LABELS[configuration],
      `${figure(one.added)} / ${figure(one.floor)} = ${(one.added / one.floor).toFixed(2)}`,
      `${figure(three.added)} / ${figure(three.floor)} = ${(three.added / three.floor).toFixed(2)}`,
      `${figure(one.alone)} / ${figure(three.alone)}`,
      figure(one.ns),
      figure(three.ns),
      figure(perCall),
      figure(perAttempt),
      figure(one.bytes - bytesPerAttempt),
      figure(bytesPerAttempt),
    ]);
  }
}

console.log(`${benchEnvironment()}; CPU time; ${BATCH} concurrent calls per iteration, mean per call\n`);
console.log(
  `### Above the SDK floor\n\n${markdownTable(
    [
      'library',
      'configuration',
      'added / floor, 1 attempt (ns)',
      'added / floor, 3 attempts (ns)',
      'floor alone, 1 / 3 attempts (ns)',
      'ns above floor, 1 attempt',
      'ns above floor, 3 attempts',
      'ns above floor per call',
      'ns above floor per attempt',
      'B above floor per call',
      'B above floor per attempt',
    ],
    summary,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  )}\n`,
);
console.log('\\* waits at least 1 ms on a timer before each retry, even when asked for 0 (idle, not counted in CPU time).\n');
console.log(`### Every case\n\n${resultsTable([...libraryResults.values()].flat())}\n`);
console.log(`### SDK floor: the contract's telemetry made directly with the API\n\n${resultsTable(floorResults)}\n`);
console.log(`${RESULTS_LEGEND}\n`);
console.log(`call and attempt histogram counts = calls and attempts made, checked after each instrumented case (${checks} checks)`);
saveResults('retry', { environment: benchEnvironment(), results: [...byName.values()], summary: summaryData });
