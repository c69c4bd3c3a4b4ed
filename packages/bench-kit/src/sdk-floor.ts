// What the OpenTelemetry SDK itself costs for the work the telemetry contract asks of every
// call: one duration measurement with its attributes, one call span (unsampled, as a root or
// under an unsampled parent, or sampled with end attributes) and, when the span must be made
// active, one context.with(). No instrumentation that emits the contract through the SDK can
// add less than the sum that applies to its configuration: its SDK floor.
import { ROOT_CONTEXT, SpanKind, context, trace, type AttributeValue, type Attributes } from '@opentelemetry/api';
import type { BenchCase, CaseResult } from './bench-case.ts';
import { runCases, type RunOptions } from './run-cases.ts';
import { UNSAMPLED_PARENT, benchSdk, type SdkConfiguration } from './sdk-configuration.ts';

/** The SDK work of one instrumented call. */
export interface FloorWork {
  /** The duration histogram each call records into, with one measurement's attributes. */
  histogram: { name: string; attributes: Attributes; buckets?: readonly number[] };
  /** The span each call starts, with its start attributes and those set before it ends. */
  span: { name: string; kind?: SpanKind; attributes: Attributes; endAttributes: Attributes };
}

/** The SDK operations measured alone. */
export type FloorOperation = 'empty task' | 'histogram' | 'unsampled root' | 'unsampled child' | 'sampled span' | 'context.with';

/** The SDK's measured operations and what they add up to per configuration. */
export interface SdkFloor {
  /** One result per operation; each has the empty task as its bare. */
  results: CaseResult[];
  /** The SDK's ns per call for `configuration`: the sum of the operations it needs, the harness overhead subtracted. */
  cost(configuration: SdkConfiguration): number;
}

/**
 * Adds up the operations a configuration needs from their ns each (harness overhead already
 * subtracted). Under an unsampled parent the sum has no context.with(): a call need not make
 * an unsampled child active, since what runs inside sees an unsampled parent of the same trace
 * either way.
 */
export function floorCost(net: (operation: FloorOperation) => number, configuration: SdkConfiguration): number {
  const metrics = net('histogram');
  switch (configuration) {
    case 'metrics only':
      return metrics;
    case 'unsampled root':
      return metrics + net('unsampled root') + net('context.with');
    case 'under an unsampled parent':
      return metrics + net('unsampled child');
    case 'sampled':
      return metrics + net('sampled span') + net('context.with');
  }
}

const count = (attributes: Attributes, what: string) => {
  const n = Object.keys(attributes).length;
  return `${n} ${what}${n === 1 ? '' : 's'}`;
};

/** One case per SDK operation, on providers of its own, named `floor: <what it does>`. */
export function floorCases(work: FloorWork): Record<FloorOperation, BenchCase> {
  const { histogram: metric, span } = work;
  const advice = metric.buckets === undefined ? {} : { advice: { explicitBucketBoundaries: [...metric.buckets] } };
  const histogram = benchSdk('metrics only').meterProvider.getMeter('floor').createHistogram(metric.name, advice);
  const unsampled = benchSdk('unsampled root').tracerProvider!.getTracer('floor');
  const sampled = benchSdk('sampled').tracerProvider!.getTracer('floor');
  const spanOptions = { kind: span.kind ?? SpanKind.INTERNAL, attributes: span.attributes };
  const parentSpanContext = trace.getSpanContext(UNSAMPLED_PARENT)!;
  // One setAttribute per attribute, as an instrumentation sets what it learns when the call ends.
  const endAttributes = Object.entries(span.endAttributes).filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined);
  const noop = () => 0;
  const bare = 'floor: empty task (harness overhead, subtracted from the others)';
  const of = (name: string, run: () => unknown): BenchCase => ({ name: `floor: ${name}`, run, bare });
  return {
    'empty task': { name: bare, run: noop },
    histogram: of(`histogram.record, ${count(metric.attributes, 'attribute')}`, () => histogram.record(0.001, metric.attributes)),
    'unsampled root': of('tracer.startSpan + end, unsampled root', () => unsampled.startSpan(span.name, spanOptions, ROOT_CONTEXT).end()),
    'unsampled child': of('tracer.startSpan + end, under an unsampled parent', () => unsampled.startSpan(span.name, spanOptions, UNSAMPLED_PARENT).end()),
    'sampled span': of(`tracer.startSpan + ${count(span.endAttributes, 'end attribute')} + end, sampled (BatchSpanProcessor)`, () => {
      const started = sampled.startSpan(span.name, spanOptions, ROOT_CONTEXT);
      for (const [key, value] of endAttributes) started.setAttribute(key, value);
      started.end();
    }),
    'context.with': of('context.with(trace.setSpan(...))', () =>
      context.with(trace.setSpan(context.active(), trace.wrapSpanContext(parentSpanContext)), noop),
    ),
  };
}

/** Measures each SDK operation of `work` alone, with the same options as the cases it is the floor of. */
export async function measureSdkFloor(work: FloorWork, options: RunOptions = {}): Promise<SdkFloor> {
  const cases = floorCases(work);
  const operations = Object.keys(cases) as FloorOperation[];
  const results = await runCases(Object.values(cases), options);
  const ns = new Map(operations.map((operation, i) => [operation, results[i]!.nsPerOp]));
  const net = (operation: FloorOperation) => Math.max(0, ns.get(operation)! - ns.get('empty task')!);
  return { results, cost: (configuration) => floorCost(net, configuration) };
}
