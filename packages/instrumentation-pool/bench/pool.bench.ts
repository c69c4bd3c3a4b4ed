// Per-operation cost of the instrumentation on one acquire of an idle resource and its release,
// bare generic-pool and tarn against the same under dyntel and under upstream's
// @opentelemetry/instrumentation-generic-pool (tarn has no upstream instrumentation), next to the
// OpenTelemetry SDK's own floor for the contract's telemetry, in one run. Times are CPU time
// (process.cpuUsage), medians of the runs. Runs the built package:
//   npm run bench -w @dyntel/instrumentation-pool
// Shorter runs and fewer rounds for a quick look:
//   BENCH_MILLIS=200 BENCH_ROUNDS=1 npm run bench -w @dyntel/instrumentation-pool
import { loadavg } from 'node:os';
import { ROOT_CONTEXT, TraceFlags, context, trace, type Context } from '@opentelemetry/api';
import {
  RESULTS_LEGEND,
  UNSAMPLED_PARENT,
  benchEnvironment,
  benchSdk,
  histogramCount,
  markdownTable,
  resultsTable,
  runCases,
  saveResults,
  useAsyncLocalStorageContext,
  type BenchCase,
  type BenchSdk,
  type CaseResult,
  type SdkConfiguration,
  type Teardown,
} from '@dyntel/bench-kit';
import { PoolInstrumentation } from '@dyntel/instrumentation-pool';
import { METRIC_POOL_USE_TIME, METRIC_POOL_WAIT_TIME } from '@dyntel/semconv';
import { GenericPoolInstrumentation } from '@opentelemetry/instrumentation-generic-pool';
import { NAME, floorCycle, floorInLibrary } from './floor.ts';
import { LIBRARIES, patch, type BenchPool, type Library } from './pools.ts';

/** Acquires and releases per benchmark iteration, one after the other; figures are per acquire+release. */
const BATCH = 200;
const cpuMillis = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const BENCH_MILLIS = Number(process.env.BENCH_MILLIS ?? 600);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OPTIONS = { bench: { time: BENCH_MILLIS, warmupTime: BENCH_MILLIS / 4, now: cpuMillis }, statistic: 'median' } as const;
const CONFIGURATIONS: readonly SdkConfiguration[] = ['metrics only', 'under an unsampled parent', 'sampled'];
const LABELS: Partial<Record<SdkConfiguration, string>> = {
  'metrics only': 'metrics only',
  'under an unsampled parent': 'unsampled parent',
  sampled: 'sampled parent',
};

// A sampled span of the application's, as the parent of the sampled cases: pool.acquire is
// started only under a parent span.
const SAMPLED_PARENT: Context = trace.setSpan(
  ROOT_CONTEXT,
  trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203332', traceFlags: TraceFlags.SAMPLED }),
);

/** Runs `work` as an operation in `configuration` runs: under an unsampled or a sampled parent span, or none. */
function runUnder<T>(configuration: SdkConfiguration, work: () => T): T {
  if (configuration === 'under an unsampled parent') return context.with(UNSAMPLED_PARENT, work);
  if (configuration === 'sampled') return context.with(SAMPLED_PARENT, work);
  return work();
}

useAsyncLocalStorageContext();

/** Acquires and releases made through the bench, to check the histograms against. */
let operations = 0;

async function cycles(pool: BenchPool): Promise<void> {
  operations += BATCH;
  for (let i = 0; i < BATCH; i++) {
    const resource = await pool.acquire();
    const released = pool.release(resource);
    if (released !== undefined) await released;
  }
}

/** A pool of `library` under dyntel with the SDK of `configuration`; the teardown checks both histograms counted every operation. */
async function dyntel(library: Library, configuration: SdkConfiguration, use: (pool: BenchPool) => void): Promise<Teardown> {
  const sdk = benchSdk(configuration);
  const instrumentation = new PoolInstrumentation({ enabled: false, poolName: () => NAME });
  provide(instrumentation, sdk);
  const unpatch = patch(instrumentation, library.module);
  const before = operations;
  const pool = await library.create();
  use(pool);
  return async () => {
    await pool.close();
    unpatch();
    // The warm-up acquire and release of create() included.
    const made = operations - before + 1;
    const waits = await histogramCount(sdk.metricReader, METRIC_POOL_WAIT_TIME);
    const uses = await histogramCount(sdk.metricReader, METRIC_POOL_USE_TIME);
    if (waits !== made || uses !== made) throw new Error(`${library.title} (${configuration}): ${waits} wait and ${uses} use times recorded, the case made ${made} acquires and releases`);
    checks += 1;
  };
}
let checks = 0;

/** A pool of `library` under upstream's generic-pool instrumentation with the SDK of `configuration`. */
async function upstream(library: Library, configuration: SdkConfiguration, use: (pool: BenchPool) => void): Promise<Teardown> {
  const instrumentation = new GenericPoolInstrumentation({ enabled: false });
  provide(instrumentation, benchSdk(configuration));
  const unpatch = patch(instrumentation, library.module);
  const pool = await library.create();
  use(pool);
  return async () => {
    await pool.close();
    unpatch();
  };
}

function provide(instrumentation: PoolInstrumentation | GenericPoolInstrumentation, sdk: BenchSdk): void {
  if (sdk.tracerProvider !== undefined) instrumentation.setTracerProvider(sdk.tracerProvider);
  instrumentation.setMeterProvider(sdk.meterProvider);
  instrumentation.setLoggerProvider(sdk.loggerProvider);
}

const bareName = (library: Library) => `${library.title} acquire+release`;
const caseName = (library: Library, what: string, configuration: SdkConfiguration) => `${bareName(library)} + ${what} (${LABELS[configuration]})`;

function libraryCases(library: Library): BenchCase[] {
  let pool: BenchPool;
  const keep = (created: BenchPool) => void (pool = created);
  const bare = bareName(library);
  const cases: BenchCase[] = [
    {
      name: bare,
      run: () => cycles(pool),
      opsPerRun: BATCH,
      setup: async () => {
        keep(await library.create());
        return () => pool.close();
      },
    },
  ];
  for (const configuration of CONFIGURATIONS) {
    const floor = floorInLibrary(configuration);
    cases.push({
      name: caseName(library, 'SDK floor by hand', configuration),
      run: () =>
        runUnder(configuration, () => floor.cycles(pool, BATCH)),
      opsPerRun: BATCH,
      bare,
      configuration,
      setup: async () => {
        keep(await library.create());
        return () => pool.close();
      },
    });
  }
  const peer = library.module === 'generic-pool' ? 'upstream' : undefined;
  for (const configuration of CONFIGURATIONS) {
    const upstreamName = caseName(library, 'upstream', configuration);
    cases.push({
      name: caseName(library, 'dyntel', configuration),
      run: () => runUnder(configuration, () => cycles(pool)),
      opsPerRun: BATCH,
      bare,
      ...(peer === undefined ? {} : { peer: upstreamName }),
      configuration,
      setup: () => dyntel(library, configuration, keep),
    });
    if (peer !== undefined) {
      cases.push({
        name: upstreamName,
        run: () => runUnder(configuration, () => cycles(pool)),
        opsPerRun: BATCH,
        bare,
        configuration,
        setup: () => upstream(library, configuration, keep),
      });
    }
  }
  return cases;
}

const floorName = (configuration: SdkConfiguration) => `SDK floor alone (${LABELS[configuration]})`;
const floorCases: BenchCase[] = CONFIGURATIONS.map((configuration) => {
  const { cycle } = floorCycle(configuration);
  return {
    name: floorName(configuration),
    run: () =>
      runUnder(configuration, () => {
        for (let i = 0; i < BATCH; i++) cycle();
      }),
    opsPerRun: BATCH,
  };
});

/** Each case's result of the round whose time was the median of its rounds. */
function medians(rounds: readonly CaseResult[][]): CaseResult[] {
  return rounds[0]!.map((_, i) => {
    const sorted = rounds.map((round) => round[i]!).sort((a, b) => a.nsPerOp - b.nsPerOp);
    return sorted[Math.floor(sorted.length / 2)]!;
  });
}

// Rounds of every case in turn, so that a burst of load from other processes costs one round of
// a few cases rather than all of one case's figure.
const loadBefore = loadavg();
const libraryRounds = new Map<Library, CaseResult[][]>(LIBRARIES.map((library) => [library, []]));
const floorRounds: CaseResult[][] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const library of LIBRARIES) libraryRounds.get(library)!.push(await runCases(libraryCases(library), OPTIONS));
  floorRounds.push(await runCases(floorCases, OPTIONS));
}
const loadAfter = loadavg();
const libraryResults = new Map<Library, CaseResult[]>(LIBRARIES.map((library) => [library, medians(libraryRounds.get(library)!)]));
const floorResults = medians(floorRounds);
const byName = new Map([...[...libraryResults.values()].flat(), ...floorResults].map((result) => [result.name, result]));
const of = (name: string) => byName.get(name);

const figure = (value: number) => (Math.abs(value) < 100 ? value.toPrecision(3) : value.toFixed(0));
const summary: string[][] = [];
const summaryData: unknown[] = [];
for (const library of LIBRARIES) {
  const bare = of(bareName(library))!;
  for (const configuration of CONFIGURATIONS) {
    const ours = of(caseName(library, 'dyntel', configuration))!;
    const byHand = of(caseName(library, 'SDK floor by hand', configuration))!;
    const peer = of(caseName(library, 'upstream', configuration));
    const alone = of(floorName(configuration))!;
    const added = ours.nsPerOp - bare.nsPerOp;
    const floor = byHand.nsPerOp - bare.nsPerOp;
    const upstreamAdded = peer === undefined ? undefined : peer.nsPerOp - bare.nsPerOp;
    const aboveNs = added - floor;
    const aboveBytes = ours.allocation!.bytesPerOp - byHand.allocation!.bytesPerOp;
    summaryData.push({ library: library.title, configuration, bare: bare.nsPerOp, added, floor, alone: alone.nsPerOp, aboveNs, aboveBytes, upstreamAdded });
    summary.push([
      library.title,
      LABELS[configuration]!,
      figure(bare.nsPerOp),
      figure(added),
      `${figure(floor)} / ${figure(alone.nsPerOp)}`,
      figure(aboveNs),
      figure(aboveBytes),
      upstreamAdded === undefined ? '–' : figure(upstreamAdded),
      upstreamAdded === undefined ? '–' : (added / upstreamAdded).toFixed(2),
    ]);
  }
}

const load = (average: number[]) => average.map((value) => value.toFixed(1)).join(' ');
console.log(`${benchEnvironment()}; CPU time; ${BATCH} acquire+release in turn per iteration, median per acquire+release of each case's runs, the median of ${ROUNDS} rounds; load average ${load(loadBefore)} before, ${load(loadAfter)} after\n`);
console.log(
  `### Above the SDK floor\n\n${markdownTable(
    ['library', 'configuration', 'bare (ns)', 'dyntel added (ns)', 'SDK floor by hand / alone (ns)', 'dyntel above floor (ns)', 'dyntel above floor (B)', 'upstream added (ns)', 'dyntel / upstream added'],
    summary,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  )}\n`,
);
console.log(`### Every case\n\n${resultsTable([...libraryResults.values()].flat())}\n`);
console.log(`### SDK floor alone: the contract's telemetry made directly with the API\n\n${resultsTable(floorResults)}\n`);
console.log(`${RESULTS_LEGEND}\n`);
console.log(`wait and use time histogram counts = acquires and releases made, checked after each dyntel case (${checks} checks)`);
saveResults('pool', { environment: benchEnvironment(), load: { before: loadBefore, after: loadAfter }, results: [...byName.values()], summary: summaryData });
