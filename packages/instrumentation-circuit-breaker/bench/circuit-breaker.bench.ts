// Per-call cost of the instrumentation against bare opossum fire() and cockatiel execute(), and
// against the Prometheus-only alternatives (opossum-prometheus; prom-client listeners on
// cockatiel's onSuccess/onFailure), next to the OpenTelemetry SDK's own floor for the same
// work, in one run. Runs the built package:
//   npm run build -w @dyntel/instrumentation-circuit-breaker && npm run bench -w @dyntel/instrumentation-circuit-breaker
import { createRequire } from 'node:module';
import {
  CONFIGURATION_LABELS,
  RESULTS_LEGEND,
  SDK_CONFIGURATIONS,
  benchEnvironment,
  benchSdk,
  histogramCount,
  measureSdkFloor,
  resultsTable,
  runCases,
  runIn,
  useAsyncLocalStorageContext,
  type BenchCase,
  type SdkConfiguration,
  type Teardown,
} from '@dyntel/bench-kit';
import { CircuitBreakerInstrumentation } from '@dyntel/instrumentation-circuit-breaker';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_FALLBACK_EXECUTED,
  DURATION_BUCKETS_SECONDS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
} from '@dyntel/semconv';
import type CircuitBreakerType from 'opossum';
import type * as Cockatiel from 'cockatiel';
import type * as PromClient from 'prom-client';

const require = createRequire(import.meta.url);
const CircuitBreaker = require('opossum') as typeof CircuitBreakerType;
const PrometheusMetrics = require('opossum-prometheus') as new (options: object) => { clear(): void };
const prom = require('prom-client') as typeof PromClient;
const cockatiel = (await import('cockatiel')) as typeof Cockatiel;

/** Calls per benchmark iteration, run concurrently; figures are per call. */
const BATCH = 100;
const OPTIONS = { bench: { time: 2_000, warmupTime: 300 } };

useAsyncLocalStorageContext();

/** Calls made so far, to check each case's histogram count against. */
let calls = 0;
const recordedCounts: number[] = [];

/**
 * An instrumentation with metrics on, patched into opossum and cockatiel, with the SDK of
 * `configuration`. Returns what undoes it, after checking that the duration histogram counted
 * every call the case made: metrics really recorded.
 */
function instrument(configuration: SdkConfiguration): Teardown {
  const sdk = benchSdk(configuration);
  const instrumentation = new CircuitBreakerInstrumentation({ enabled: false });
  if (sdk.tracerProvider !== undefined) instrumentation.setTracerProvider(sdk.tracerProvider);
  instrumentation.setMeterProvider(sdk.meterProvider);
  instrumentation.setLoggerProvider(sdk.loggerProvider);
  const definitions = instrumentation.getModuleDefinitions();
  const targets = [
    [definitions.find((d) => d.name === 'opossum')!, CircuitBreaker],
    [definitions.find((d) => d.name === 'cockatiel')!, cockatiel],
  ] as const;
  for (const [definition, moduleExports] of targets) definition.patch!(moduleExports);
  const callsBefore = calls;
  return async () => {
    for (const [definition, moduleExports] of targets) definition.unpatch!(moduleExports);
    const recorded = await histogramCount(sdk.metricReader, METRIC_CIRCUIT_BREAKER_CALL_DURATION);
    if (recorded !== calls - callsBefore) throw new Error(`histogram counted ${recorded} calls, the case made ${calls - callsBefore}`);
    recordedCounts.push(recorded);
  };
}

const action = async (x: number) => x;
const newBreaker = () => new CircuitBreaker(action, { name: 'bench' });
const newPolicy = () =>
  cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 10_000, breaker: new cockatiel.ConsecutiveBreaker(5) });

/** One library's cases: bare, the Prometheus-only peer, and the instrumentation in every configuration. */
interface Library<Target> {
  bare: string;
  peer: string;
  prefix: string;
  create: () => Target;
  call: (target: Target, i: number) => Promise<unknown>;
  /** Adds the peer's metrics to a target; returns what removes them. */
  addPeer: (target: Target) => Teardown | void;
}

function libraryCases<Target>(library: Library<Target>): BenchCase[] {
  let target: Target;
  const batch = async () => {
    calls += BATCH;
    await Promise.all(Array.from({ length: BATCH }, (_, i) => library.call(target, i)));
  };
  const roles = { bare: library.bare, peer: library.peer, opsPerRun: BATCH };
  return [
    { name: library.bare, run: batch, opsPerRun: BATCH, setup: () => void (target = library.create()) },
    {
      name: library.peer,
      run: batch,
      ...roles,
      setup: () => library.addPeer((target = library.create())),
    },
    ...SDK_CONFIGURATIONS.map((configuration) => ({
      name: `${library.prefix} (${CONFIGURATION_LABELS[configuration]})`,
      run: () => runIn(configuration, batch),
      ...roles,
      configuration,
      setup: () => {
        const uninstrument = instrument(configuration);
        target = library.create();
        return uninstrument;
      },
    })),
  ];
}

const opossum = libraryCases<CircuitBreakerType>({
  bare: 'opossum fire()',
  peer: 'opossum + opossum-prometheus',
  prefix: 'opossum + dyntel',
  create: newBreaker,
  call: (breaker, i) => breaker.fire(i),
  addPeer: (breaker) => {
    const metrics = new PrometheusMetrics({ circuits: [breaker], registry: new prom.Registry() });
    return () => metrics.clear();
  },
});
const cockatielCases = libraryCases<Cockatiel.CircuitBreakerPolicy>({
  bare: 'cockatiel execute()',
  peer: 'cockatiel + prom-client listeners',
  prefix: 'cockatiel + dyntel',
  create: newPolicy,
  call: (policy, i) => policy.execute(() => action(i)),
  addPeer: (policy) => {
    const registry = new prom.Registry();
    const counter = new prom.Counter({ name: 'breaker_calls', help: 'calls', labelNames: ['name', 'outcome'], registers: [registry] });
    const duration = new prom.Histogram({ name: 'breaker_seconds', help: 'duration', labelNames: ['name'], registers: [registry] });
    policy.onSuccess(({ duration: ms }) => {
      counter.labels('bench', 'success').inc();
      duration.labels('bench').observe(ms / 1000);
    });
    policy.onFailure(({ duration: ms }) => {
      counter.labels('bench', 'failure').inc();
      duration.labels('bench').observe(ms / 1000);
    });
  },
});

const opossumResults = await runCases(opossum, OPTIONS);
const cockatielResults = await runCases(cockatielCases, OPTIONS);
const floor = await measureSdkFloor(
  {
    histogram: {
      name: METRIC_CIRCUIT_BREAKER_CALL_DURATION,
      attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'bench', [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'success' },
      buckets: DURATION_BUCKETS_SECONDS,
    },
    span: {
      name: 'circuit_breaker.call bench',
      attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'bench', [ATTR_CIRCUIT_BREAKER_STATE]: 'closed' },
      endAttributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'success', [ATTR_FALLBACK_EXECUTED]: false },
    },
  },
  OPTIONS,
);

console.log(`${benchEnvironment()}; ${BATCH} concurrent calls per iteration, mean per call\n`);
console.log(`### opossum\n\n${resultsTable(opossumResults, { floor })}\n`);
console.log(`### cockatiel\n\n${resultsTable(cockatielResults, { floor })}\n`);
console.log(`### SDK floor: each operation alone\n\n${resultsTable(floor.results)}\n`);
console.log(`${RESULTS_LEGEND}\n`);
console.log(
  `histogram count = calls made, checked after each instrumented case (${recordedCounts.length} checks, ${recordedCounts.reduce((a, b) => a + b, 0)} calls)`,
);
