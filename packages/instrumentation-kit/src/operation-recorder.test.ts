import { afterAll, describe, expect, it } from 'vitest';
import { context, diag, DiagLogLevel, SpanStatusCode, trace, type Histogram } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_ERROR_TYPE } from '@dyntel/semconv';
import { Component, UNNAMED } from './component';
import { Operation, type OperationKind } from './operation';
import { OperationRecorder } from './operation-recorder';

const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
afterAll(() => context.disable());

type Outcome = 'success' | 'failure';

function setup(options: { requireParentSpan?: boolean; histogram?: Histogram; onEnd?: () => void; durationOnSuccessOnly?: boolean } = {}) {
  const ended: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart: () => {},
    onEnd: (span) => ended.push(span),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const exporter = { getFinishedSpans: () => ended };
  const provider = new TracerProvider({ spanProcessors: [collect] });
  const records: [number, unknown][] = [];
  const histogram = options.histogram ?? ({ record: (value: number, attributes: unknown) => records.push([value, attributes]) } as unknown as Histogram);
  const kind: OperationKind<Outcome, Operation> = {
    label: 'test operation',
    outcomeAttribute: 'test.outcome',
    successOutcome: 'success',
    histogram: () => histogram,
    ...(options.onEnd ? { onEnd: options.onEnd } : {}),
    ...(options.durationOnSuccessOnly ? { durationOnSuccessOnly: true } : {}),
  };
  const recorder = new OperationRecorder({ tracer: () => provider.getTracer('test'), requireParentSpan: () => options.requireParentSpan === true });
  const component = new Component('test.name', { metricName: 'inventory', spanAttribute: 'inventory', spanSuffix: 'inventory' }, 'test.call');
  return { exporter, provider, records, kind, recorder, component };
}

describe('OperationRecorder', () => {
  it('runs the function in the span context with its this and arguments, and ends the span with the outcome', () => {
    const { exporter, records, kind, recorder, component } = setup();
    const operation = new Operation(component);
    recorder.begin(kind, operation, component.spanOptions('start', (o) => (o.attributes['test.at_start'] = true)));
    const self = { base: 40 };
    const result = recorder.run(operation, function (this: typeof self, a: number) {
      expect(trace.getActiveSpan()).toBe(operation.span);
      return this.base + a;
    }, self, [2]);
    expect(result).toBe(42);
    recorder.end(kind, operation, 'success', undefined, false);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('test.call inventory');
    expect(span?.attributes).toEqual({ 'test.name': 'inventory', 'test.at_start': true, 'test.outcome': 'success' });
    expect(records).toEqual([[expect.any(Number), { 'test.name': 'inventory', 'test.outcome': 'success' }]]);
  });

  it('records error.type on failure and status ERROR only when the caller got the error', () => {
    const { exporter, records, kind, recorder, component } = setup();
    for (const rejected of [true, false]) {
      const operation = new Operation(component);
      recorder.begin(kind, operation, {});
      recorder.end(kind, operation, 'failure', new RangeError('bad'), rejected);
    }
    const [thrown, absorbed] = exporter.getFinishedSpans();
    expect(thrown?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad' });
    expect(thrown?.attributes[ATTR_ERROR_TYPE]).toBe('RangeError');
    expect(absorbed?.status.code).toBe(SpanStatusCode.UNSET);
    // Both measurements share one cached attribute set.
    expect(records[0]?.[1]).toBe(records[1]?.[1]);
  });

  it('records only successful durations for a kind that says so, and still ends a failed span with its error.type', () => {
    const { exporter, records, kind, recorder, component } = setup({ durationOnSuccessOnly: true });
    for (const [outcome, error] of [['success', undefined], ['failure', new RangeError('timed out')]] as const) {
      const operation = new Operation(component);
      recorder.begin(kind, operation, {});
      recorder.end(kind, operation, outcome, error, error !== undefined);
    }
    expect(records).toEqual([[expect.any(Number), { 'test.name': 'inventory', 'test.outcome': 'success' }]]);
    expect(exporter.getFinishedSpans().map((s) => s.attributes[ATTR_ERROR_TYPE])).toEqual([undefined, 'RangeError']);
  });

  it('starts no span without a parent when requireParentSpan is set, and still records the duration', () => {
    const { exporter, records, kind, recorder, component } = setup({ requireParentSpan: true });
    const operation = new Operation(component);
    recorder.begin(kind, operation, {});
    expect(operation.span).toBeUndefined();
    recorder.end(kind, operation, 'success', undefined, false);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(records).toHaveLength(1);
  });

  it('starts the span under the parent it is given rather than the active context, and requireParentSpan looks there', () => {
    const { exporter, provider, kind, recorder, component } = setup({ requireParentSpan: true });
    const outer = provider.getTracer('test').startSpan('outer');
    const parent = trace.setSpan(context.active(), outer);
    const given = new Operation(component);
    const active = new Operation(component);
    // Outside any span: only the operation given a parent has one to be a child of.
    recorder.begin(kind, given, {}, parent);
    recorder.begin(kind, active, {});
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(active.span).toBeUndefined();
    recorder.end(kind, given, 'success', undefined, false);
    outer.end();
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(span?.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(trace.getSpan(given.context!)).toBe(given.span);
  });

  it('ends the span when a histogram, a hook or an error getter throws, and never throws itself', () => {
    diag.setLogger({ error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
    const broken = { record: () => { throw new Error('meter down'); } } as unknown as Histogram;
    const { exporter, kind, recorder, component } = setup({ histogram: broken, onEnd: () => { throw new Error('hook'); } });
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', { get: () => { throw new Error('getter'); } });
    const operation = new Operation(component);
    recorder.begin(kind, operation, {});
    expect(() => recorder.end(kind, operation, 'failure', hostile, true)).not.toThrow();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    diag.disable();
  });

  it("records the caller's error as an exception event with type and message, without reading its stack", () => {
    const { exporter, kind, recorder, component } = setup();
    const error = Object.assign(new TypeError('inventory down'), { code: 'EDOWN' });
    let stackReads = 0;
    // Reading the stack would cost Node's crash report its source line, should this error go on unhandled.
    Object.defineProperty(error, 'stack', { get: () => (stackReads++, 'TypeError: inventory down\n    at somewhere') });
    const operation = new Operation(component);
    recorder.begin(kind, operation, {});
    recorder.end(kind, operation, 'failure', error, true);
    const [span] = exporter.getFinishedSpans();
    expect(span?.events.map((e) => [e.name, e.attributes])).toEqual([['exception', { 'exception.type': 'EDOWN', 'exception.message': 'inventory down' }]]);
    expect(stackReads).toBe(0);
  });

  it('leaves the name out when the component has none', () => {
    const { kind, recorder, records } = setup();
    const operation = new Operation(new Component('test.name', UNNAMED, 'test.call'));
    recorder.begin(kind, operation, {});
    recorder.end(kind, operation, 'success', undefined, false);
    expect(records[0]?.[1]).toEqual({ 'test.outcome': 'success' });
  });
});
