// Per-call cost of the instrumentation against bare opossum fire() and cockatiel execute(), and
// against the Prometheus-only alternatives (opossum-prometheus; prom-client listeners on
// cockatiel's onSuccess/onFailure). Runs the built package:
//   npm run build -w @dyntel/instrumentation-circuit-breaker && npm run bench -w @dyntel/instrumentation-circuit-breaker
import { createRequire } from 'node:module';
import { ROOT_CONTEXT, TraceFlags, context, trace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { Bench } from 'tinybench';
import { CircuitBreakerInstrumentation } from '@dyntel/instrumentation-circuit-breaker';
import { METRIC_CIRCUIT_BREAKER_CALL_DURATION } from '@dyntel/semconv';
import { DiscardingExporter, IdleReader } from './idle-sdk.ts';
import { addFloorTasks, floor, type FloorCase } from './sdk-floor.ts';
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

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/**
 * An instrumentation with metrics on, patched into opossum and cockatiel; spans sampled or not
 * by `sampler`, or no tracer provider at all (the global no-op tracer) when it is undefined.
 * Returns what undoes it, after checking that every call of the case was recorded.
 */
function instrument(sampler: Sampler | undefined): () => Promise<void> {
  const instrumentation = new CircuitBreakerInstrumentation({ enabled: false });
  if (sampler !== undefined) {
    instrumentation.setTracerProvider(
      new TracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor({ exporter: new DiscardingExporter() })] }),
    );
  }
  const reader = new IdleReader();
  instrumentation.setMeterProvider(new MeterProvider({ readers: [reader] }));
  instrumentation.setLoggerProvider(new LoggerProvider());
  const definitions = instrumentation.getModuleDefinitions();
  const targets = [
    [definitions.find((d) => d.name === 'opossum')!, CircuitBreaker],
    [definitions.find((d) => d.name === 'cockatiel')!, cockatiel],
  ] as const;
  for (const [definition, moduleExports] of targets) definition.patch!(moduleExports);
  const callsBefore = calls;
  return async () => {
    for (const [definition, moduleExports] of targets) definition.unpatch!(moduleExports);
    await expectRecorded(reader, calls - callsBefore);
  };
}

// The duration histogram must have counted every call the case made: metrics really recorded.
async function expectRecorded(reader: MetricReader, expected: number): Promise<void> {
  const { resourceMetrics } = await reader.collect();
  let recorded = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== METRIC_CIRCUIT_BREAKER_CALL_DURATION) continue;
      for (const point of metric.dataPoints) recorded += (point.value as { count: number }).count;
    }
  }
  if (recorded !== expected) throw new Error(`histogram counted ${recorded} calls, the case made ${expected}`);
  recordedCounts.push(recorded);
}

// The parent of the "under an unsampled parent" cases: what an SDK makes active for a request
// that its sampler dropped, a local non-recording span with the sampled flag off.
const unsampledParent: Context = trace.setSpan(
  ROOT_CONTEXT,
  trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE }),
);
/** Calls made so far, to check each case's histogram count against. */
let calls = 0;
const recordedCounts: number[] = [];

const action = async (x: number) => x;
const fire = (breaker: CircuitBreakerType) => () => {
  calls += BATCH;
  return Promise.all(Array.from({ length: BATCH }, (_, i) => breaker.fire(i)));
};
const execute = (policy: Cockatiel.CircuitBreakerPolicy) => () => {
  calls += BATCH;
  return Promise.all(Array.from({ length: BATCH }, (_, i) => policy.execute(() => action(i))));
};
const inUnsampledParent = (batch: () => Promise<unknown>) => () => context.with(unsampledParent, batch);
const newPolicy = () =>
  cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 10_000, breaker: new cockatiel.ConsecutiveBreaker(5) });

const bench = new Bench({ time: 2_000, warmupTime: 300 });
let uninstrument: (() => Promise<void>) | undefined;
let promMetrics: { clear(): void } | undefined;
let breaker: CircuitBreakerType;
let policy: Cockatiel.CircuitBreakerPolicy;

const withInstrumentation = (sampler: Sampler | undefined, setup: () => void) => ({
  beforeAll: () => {
    uninstrument = instrument(sampler);
    setup();
  },
  afterAll: () => uninstrument?.(),
});
// Created per case so that the task bodies below read the current breaker or policy.
const fireBreaker = () => fire(breaker)();
const executePolicy = () => execute(policy)();

bench
  .add('opossum fire()', async () => void (await fire(breaker)()), { beforeAll: () => void (breaker = new CircuitBreaker(action, { name: 'bench' })) })
  .add('opossum + opossum-prometheus', async () => void (await fire(breaker)()), {
    beforeAll: () => {
      breaker = new CircuitBreaker(action, { name: 'bench' });
      promMetrics = new PrometheusMetrics({ circuits: [breaker], registry: new prom.Registry() });
    },
    afterAll: () => promMetrics?.clear(),
  })
  .add('opossum + dyntel (metrics only, no tracer provider)', async () => void (await fire(breaker)()), withInstrumentation(undefined, () => {
    breaker = new CircuitBreaker(action, { name: 'bench' });
  }))
  .add('opossum + dyntel (span not sampled)', async () => void (await fire(breaker)()), withInstrumentation(new AlwaysOffSampler(), () => {
    breaker = new CircuitBreaker(action, { name: 'bench' });
  }))
  .add('opossum + dyntel (span not sampled, under an unsampled parent)', async () => void (await inUnsampledParent(fireBreaker)()), withInstrumentation(new AlwaysOffSampler(), () => {
    breaker = new CircuitBreaker(action, { name: 'bench' });
  }))
  .add('opossum + dyntel (span sampled)', async () => void (await fire(breaker)()), withInstrumentation(new AlwaysOnSampler(), () => {
    breaker = new CircuitBreaker(action, { name: 'bench' });
  }))
  .add('cockatiel execute()', async () => void (await execute(policy)()), { beforeAll: () => void (policy = newPolicy()) })
  .add('cockatiel + prom-client listeners', async () => void (await execute(policy)()), {
    beforeAll: () => {
      policy = newPolicy();
      const registry = new prom.Registry();
      const calls = new prom.Counter({ name: 'breaker_calls', help: 'calls', labelNames: ['name', 'outcome'], registers: [registry] });
      const duration = new prom.Histogram({ name: 'breaker_seconds', help: 'duration', labelNames: ['name'], registers: [registry] });
      policy.onSuccess(({ duration: ms }) => {
        calls.labels('bench', 'success').inc();
        duration.labels('bench').observe(ms / 1000);
      });
      policy.onFailure(({ duration: ms }) => {
        calls.labels('bench', 'failure').inc();
        duration.labels('bench').observe(ms / 1000);
      });
    },
  })
  .add('cockatiel + dyntel (metrics only, no tracer provider)', async () => void (await execute(policy)()), withInstrumentation(undefined, () => {
    policy = newPolicy();
  }))
  .add('cockatiel + dyntel (span not sampled)', async () => void (await execute(policy)()), withInstrumentation(new AlwaysOffSampler(), () => {
    policy = newPolicy();
  }))
  .add('cockatiel + dyntel (span not sampled, under an unsampled parent)', async () => void (await inUnsampledParent(executePolicy)()), withInstrumentation(new AlwaysOffSampler(), () => {
    policy = newPolicy();
  }))
  .add('cockatiel + dyntel (span sampled)', async () => void (await execute(policy)()), withInstrumentation(new AlwaysOnSampler(), () => {
    policy = newPolicy();
  }));

addFloorTasks(bench, unsampledParent);

await bench.run();

const perCallNanos = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`, { cause: (result as { error?: unknown }).error });
  const perTask = result.latency.mean * 1e6;
  perCallNanos.set(task.name, task.name.startsWith('floor: ') ? perTask : perTask / BATCH);
}
const ns = (name: string) => perCallNanos.get(name)!;

interface Library {
  bare: string;
  /** The Prometheus-only alternative the issue compares with. */
  reference: string;
  prefix: string;
}
const OPOSSUM: Library = { bare: 'opossum fire()', reference: 'opossum + opossum-prometheus', prefix: 'opossum + dyntel' };
const COCKATIEL: Library = { bare: 'cockatiel execute()', reference: 'cockatiel + prom-client listeners', prefix: 'cockatiel + dyntel' };
const CASES: [FloorCase, string][] = [
  ['metrics only', '(metrics only, no tracer provider)'],
  ['unsampled root', '(span not sampled)'],
  ['under an unsampled parent', '(span not sampled, under an unsampled parent)'],
  ['sampled', '(span sampled)'],
];

console.log(`Node ${process.version}, ${BATCH} concurrent calls per iteration, mean per call\n`);
console.log('| scenario | per call | added over bare |\n|---|---|---|');
for (const [name, value] of perCallNanos) {
  if (name.startsWith('floor: ')) continue;
  const bare = name.startsWith('opossum') ? OPOSSUM.bare : COCKATIEL.bare;
  const extra = name === bare ? '' : `+${(value - ns(bare)).toFixed(0)} ns (${((value / ns(bare) - 1) * 100).toFixed(0)}%)`;
  console.log(`| ${name} | ${value.toFixed(0)} ns | ${extra} |`);
}
console.log('\n| SDK operation | per operation |\n|---|---|');
for (const [name, value] of perCallNanos) if (name.startsWith('floor: ')) console.log(`| ${name.slice(7)} | ${value.toFixed(0)} ns |`);

// Each configuration's added cost next to its SDK floor (the SDK operations it needs, each
// measured alone above), both relative to the reference's added cost. Operations measured alone
// run hotter than inside a call, so added minus floor is only a rough estimate of the
// instrumentation's own cost and is not printed.
for (const library of [OPOSSUM, COCKATIEL]) {
  const reference = ns(library.reference) - ns(library.bare);
  console.log(`\n${library.prefix}, relative to ${library.reference} (+${reference.toFixed(0)} ns):`);
  console.log('| configuration | added | SDK floor | added / reference | SDK floor / reference |\n|---|---|---|---|---|');
  for (const [which, suffix] of CASES) {
    const added = ns(`${library.prefix} ${suffix}`) - ns(library.bare);
    const sdk = floor(ns, which);
    console.log(`| ${which} | ${added.toFixed(0)} ns | ${sdk.toFixed(0)} ns | ${(added / reference).toFixed(2)} | ${(sdk / reference).toFixed(2)} |`);
  }
}
console.log(`\nhistogram count = calls made, checked after each phase of each instrumented case (${recordedCounts.length} checks, ${recordedCounts.reduce((a, b) => a + b, 0)} calls)`);
