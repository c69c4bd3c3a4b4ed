// What the OpenTelemetry SDK itself costs for the work the contract asks of every call: one
// duration measurement with the contract's attributes, one call span (unsampled, as a root or
// under an unsampled parent, or sampled with its end attributes) and, when the span must be
// made active, one context.with(). No instrumentation that emits the contract through the SDK
// can add less than the sum that applies to its configuration; the bench subtracts it to show
// the instrumentation's own cost.
import { ROOT_CONTEXT, SpanKind, context, trace, type Context } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Bench } from 'tinybench';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_FALLBACK_EXECUTED,
  DURATION_BUCKETS_SECONDS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
} from '@dyntel/semconv';
import { DiscardingExporter, IdleReader } from './idle-sdk.ts';

const histogram = new MeterProvider({ readers: [new IdleReader()] })
  .getMeter('floor')
  .createHistogram(METRIC_CIRCUIT_BREAKER_CALL_DURATION, { advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } });
const unsampled = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('floor');
const sampled = new TracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new BatchSpanProcessor({ exporter: new DiscardingExporter() })],
}).getTracer('floor');
const metricAttributes = { [ATTR_CIRCUIT_BREAKER_NAME]: 'bench', [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'success' };
const spanOptions = { kind: SpanKind.INTERNAL, attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: 'bench', [ATTR_CIRCUIT_BREAKER_STATE]: 'closed' } };
const spanName = 'circuit_breaker.call bench';
const noop = () => 0;

/** One SDK operation per task; `floor()` reads them back by these names. */
export const FLOOR = {
  baseline: 'floor: empty task (harness overhead, subtracted from the others)',
  histogram: 'floor: histogram.record, the contract attributes',
  unsampledRoot: 'floor: tracer.startSpan + end, unsampled root',
  unsampledChild: 'floor: tracer.startSpan + end, under an unsampled parent',
  sampled: 'floor: tracer.startSpan + 2 attributes + end, sampled (BatchSpanProcessor)',
  contextWith: 'floor: context.with(trace.setSpan(...))',
} as const;

/** Adds one task per SDK operation, measured in the same run as the instrumented cases. */
export function addFloorTasks(bench: Bench, unsampledParent: Context): void {
  bench
    .add(FLOOR.baseline, noop)
    .add(FLOOR.histogram, () => histogram.record(0.001, metricAttributes))
    .add(FLOOR.unsampledRoot, () => unsampled.startSpan(spanName, spanOptions, ROOT_CONTEXT).end())
    .add(FLOOR.unsampledChild, () => unsampled.startSpan(spanName, spanOptions, unsampledParent).end())
    .add(FLOOR.sampled, () => {
      const span = sampled.startSpan(spanName, spanOptions, ROOT_CONTEXT);
      span.setAttribute(ATTR_CIRCUIT_BREAKER_OUTCOME, 'success');
      span.setAttribute(ATTR_FALLBACK_EXECUTED, false);
      span.end();
    })
    .add(FLOOR.contextWith, () => context.with(trace.setSpan(context.active(), trace.wrapSpanContext(trace.getSpanContext(unsampledParent)!)), noop));
}

/** The configurations of the instrumented cases, by what the SDK must do for each call. */
export type FloorCase = 'metrics only' | 'unsampled root' | 'under an unsampled parent' | 'sampled';

/** The SDK's cost per call for a configuration, in ns, from the floor tasks' means (ns per task). */
export function floor(nanos: (task: string) => number, which: FloorCase): number {
  const op = (task: string) => Math.max(0, nanos(task) - nanos(FLOOR.baseline));
  const metrics = op(FLOOR.histogram);
  switch (which) {
    case 'metrics only':
      return metrics;
    case 'unsampled root':
      return metrics + op(FLOOR.unsampledRoot) + op(FLOOR.contextWith);
    case 'under an unsampled parent':
      // The call runs without context.with() there (see the README).
      return metrics + op(FLOOR.unsampledChild);
    case 'sampled':
      return metrics + op(FLOOR.sampled) + op(FLOOR.contextWith);
  }
}
