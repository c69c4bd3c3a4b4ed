// What the OpenTelemetry SDK itself costs per call for the work every instrumented call needs:
// one histogram measurement with the contract's attributes, one unsampled span, one
// context.with(). No instrumentation can be cheaper than their sum; see the README.
import { SpanKind, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { Bench } from 'tinybench';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  DURATION_BUCKETS_SECONDS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
} from '@dyntel/semconv';

class IdleReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const histogram = new MeterProvider({ readers: [new IdleReader()] })
  .getMeter('floor')
  .createHistogram(METRIC_CIRCUIT_BREAKER_CALL_DURATION, { advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } });
const tracer = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('floor');
const metricAttributes = { [ATTR_CIRCUIT_BREAKER_NAME]: 'bench', [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'success' };
const spanOptions = { kind: SpanKind.INTERNAL, attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'bench', [ATTR_CIRCUIT_BREAKER_STATE]: 'closed' } };
const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0 };
const noop = () => 0;

const bench = new Bench({ time: 1_000, warmupTime: 200 });
bench
  .add('histogram.record, 2 attributes', () => histogram.record(0.001, metricAttributes))
  .add('tracer.startSpan (unsampled root) + end', () => tracer.startSpan('circuit_breaker.call bench', spanOptions).end())
  .add('context.with(trace.setSpan(...))', () => context.with(trace.setSpan(context.active(), trace.wrapSpanContext(spanContext)), noop));
await bench.run();

console.log('\n| SDK operation | per call |\n|---|---|');
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
  console.log(`| ${task.name} | ${(result.latency.mean * 1e6).toFixed(0)} ns |`);
}
