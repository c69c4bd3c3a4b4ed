import { context, metrics, type Context, type MeterProvider } from '@opentelemetry/api';
import { MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { isThenable, safely } from '@dyntel/instrumentation-kit';
import { afterRealDelay } from './clock';
import { evaluateEvent, validateEventPattern, type EventPattern, type RecordedEvent } from './event-pattern';
import { explainEventWait, explainSpanWait, type ExplainSource } from './explain';
import type { MetricPoint, MetricSnapshot, RecordedMeasurement } from './measurement';
import { metricNamesIn, snapshotFromCollection, snapshotFromMeasurements } from './metric-snapshot';
import { describeSpanPattern, evaluateSpan, isStructural, validateSpanPattern, type SpanGraph, type SpanPattern } from './pattern';
import { visible, type EventEntry, type LiveEntry, type MeasurementEntry, type ScopeFilter, type SpanEntry } from './records';
import { recordingMeterProvider } from './recording-meter-provider';
import { RingBuffer } from './ring-buffer';
import { findSequence, ordered, type SequenceMode, type SequenceOrder } from './sequence';
import { parentSpanIdOf, scopeOf, type SpanLike } from './span-shape';
import { activeScope, contextWithScope, newScopeId, scopeOfContext } from './test-scope';
import { flattenTrace, matchTrace, rootPattern, validateTracePattern, type MatchedTrace, type TracePattern } from './trace-tree';
import { describeMatcher, describeRecordMatcher, describeValue, type RecordMatcher } from './values';
import { WaitTimeoutError } from './wait-timeout-error';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** Most spans kept; older ones are dropped with a warning. Default 10,000. */
  maxSpans?: number;
  /** Most events (span events and log records) kept. Default 10,000. */
  maxEvents?: number;
  /** Most metric measurements kept. Default 10,000. */
  maxMeasurements?: number;
  /** Default timeout of every wait, in real milliseconds. Default 5,000. */
  timeout?: number;
  /** Where drop warnings go; `process.emitWarning` by default. */
  warn?: (message: string) => void;
}

/** Options every wait accepts. */
export interface WaitOptions {
  /** Real milliseconds before the wait fails with an explanation (fake timers do not apply). */
  timeout?: number;
  /**
   * `'current'` (default): inside `recorder.isolate()`, only telemetry caused by this test's
   * scope; outside it, everything. `'all'`: everything, whatever the scope.
   */
  scope?: 'current' | 'all';
}

/** Options of {@link Recorder.waitForSequence}. */
export interface SequenceOptions extends WaitOptions {
  /** `subsequence` (default): in order, other spans may come between; `contiguous`: in order,
   * nothing between; `exact`: the whole recorded stream is exactly these spans. */
  mode?: SequenceMode;
  /** Order spans by when they ended (default) or started, using recorded sequence numbers. */
  by?: SequenceOrder;
}

/** Options of {@link Recorder.refuteSpan}. */
export interface RefuteOptions extends WaitOptions {
  /** The refutation passes when this span arrives (or this promise settles). */
  until?: SpanPattern | PromiseLike<unknown>;
}

/** Options of {@link Recorder.waitForMetric}. */
export interface MetricWaitOptions extends WaitOptions {
  /** Attribute patterns a point must match to count. */
  where?: RecordMatcher;
  /** The combined value of matching points must be at least this. */
  atLeast?: number;
  /** The combined value of matching points must be at most this. */
  atMost?: number;
  /** A free-form condition on the snapshot. */
  predicate?: (snapshot: MetricSnapshot) => boolean;
}

/** The result of {@link Recorder.waitForTrace}. */
export interface TraceMatch {
  root: ReadableSpan;
  /** Every matched span, depth first. */
  spans: ReadableSpan[];
  tree: MatchedTrace;
}

const DEFAULT_CAPACITY = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;

interface Pending {
  onSpan?(entry: SpanEntry): void;
  onEvent?(entry: EventEntry): void;
  onMeasurement?(entry: MeasurementEntry): void;
}

interface Control<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

function spanKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** Collects observable instruments on demand for metric waits. */
class RecorderMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

function validateTimeout(timeout: unknown, label: string): number {
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
    throw new TypeError(`${label}: invalid timeout ${describeValue(timeout)}; accepted: a number of milliseconds > 0 (or Infinity)`);
  }
  return timeout;
}

function validateCount(count: unknown, label: string): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new TypeError(`${label}: invalid count ${describeValue(count)}; accepted: an integer >= 1`);
  }
  return count;
}

function validatePatternList(patterns: unknown, label: string): asserts patterns is readonly SpanPattern[] {
  if (!Array.isArray(patterns) || patterns.length === 0) {
    throw new TypeError(`${label}: expected a non-empty array of span patterns, got ${describeValue(patterns)}`);
  }
  patterns.forEach((p, i) => validateSpanPattern(p, `pattern [${i}]`));
}

/** An error whose stack starts at the caller of `fn`, captured when a wait starts. */
function callSite(fn: (...args: never[]) => unknown): Error {
  const site = new Error();
  Error.captureStackTrace(site, fn);
  return site;
}

/** Re-points an error's stack at the line that started the wait, not at the timer that failed it. */
function withCallSite(error: Error, site: Error): Error {
  const frames = (site.stack ?? '').split('\n').slice(1).join('\n');
  error.stack = `${error.name}: ${error.message}\n${frames}`;
  return error;
}

/**
 * Records spans, events and metric measurements in bounded memory and lets tests await them.
 * Every wait first looks at what was already recorded, then resolves from the hooks the SDK
 * calls synchronously (span end, log record emit, measurement), never by polling.
 */
export class Recorder {
  /** Plug into a tracer provider or NodeSDK (`spanProcessors: [recorder.spanProcessor]`). */
  readonly spanProcessor: SpanProcessor;
  /** Plug into a logger provider or NodeSDK (`logRecordProcessors: [recorder.logRecordProcessor]`). */
  readonly logRecordProcessor: LogRecordProcessor;
  /** Plug into a meter provider or NodeSDK (`metricReaders: [recorder.metricReader]`). */
  readonly metricReader: MetricReader;

  private readonly spanBuffer: RingBuffer<SpanEntry>;
  private readonly eventBuffer: RingBuffer<EventEntry>;
  private readonly measurementBuffer: RingBuffer<MeasurementEntry>;
  private readonly byId = new Map<string, SpanEntry>();
  private readonly children = new Map<string, SpanEntry[]>();
  private readonly live = new Map<string, LiveEntry & { seenEvents: number }>();
  private readonly pending = new Set<Pending>();
  private readonly defaultTimeout: number;
  private readonly warn: (message: string) => void;
  private seq = 0;
  private dropped = { spans: 0, events: 0, measurements: 0 };
  private sawSpan = false;
  private sawEvent = false;
  private lastCollection: CollectionResult | undefined;

  /** Span navigation for structural patterns: ended spans first, then started ones. */
  readonly graph: SpanGraph = {
    parentOf: (span) => {
      const parentId = parentSpanIdOf(span);
      if (parentId === undefined) return null;
      const key = spanKey(span.spanContext().traceId, parentId);
      return this.byId.get(key)?.span ?? this.live.get(key)?.span;
    },
    childrenOf: (span) => {
      const ctx = span.spanContext();
      return this.children.get(spanKey(ctx.traceId, ctx.spanId))?.map((e) => e.span) ?? [];
    },
  };

  constructor(options: RecorderOptions = {}) {
    this.spanBuffer = new RingBuffer(options.maxSpans ?? DEFAULT_CAPACITY);
    this.eventBuffer = new RingBuffer(options.maxEvents ?? DEFAULT_CAPACITY);
    this.measurementBuffer = new RingBuffer(options.maxMeasurements ?? DEFAULT_CAPACITY);
    this.defaultTimeout = validateTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS, 'createRecorder');
    this.warn = options.warn ?? ((message) => process.emitWarning(message, { code: 'DYNTEL_RECORDER_DROPPED' }));
    this.spanProcessor = {
      onStart: (span: Span, parentContext: Context) => safely('recorder onStart', () => this.onStart(span, parentContext)),
      onEnd: (span: ReadableSpan) => safely('recorder onEnd', () => this.onEnd(span as unknown as SpanLike)),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    this.logRecordProcessor = {
      onEmit: (record: ReadWriteLogRecord, ctx?: Context) => safely('recorder onEmit', () => this.onEmit(record, ctx)),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    this.metricReader = new RecorderMetricReader();
  }

  // ---------------------------------------------------------------- capture

  private onStart(span: Span, parentContext: Context): void {
    this.sawSpan = true;
    const ctx = span.spanContext();
    const entry = { span: span as unknown as ReadableSpan, startSeq: ++this.seq, scope: scopeOfContext(parentContext), seenEvents: 0 };
    this.live.set(spanKey(ctx.traceId, ctx.spanId), entry);
    // Spans that never end (a bug in the code under test) must not grow memory without bound;
    // Map iteration order is insertion order, so the first key is the oldest.
    if (this.live.size > this.spanBuffer.capacity) this.live.delete(this.live.keys().next().value!);
    // Span events are reported the moment they are added, not when the span ends, so a wait
    // for an event on a long-lived span resolves at once.
    const addEvent = span.addEvent;
    if (typeof addEvent !== 'function') return;
    const onAdded = (before: number) => {
      for (let i = before; i < span.events.length; i++) this.recordSpanEvent(span as unknown as SpanLike, i, activeScope() ?? entry.scope);
      entry.seenEvents = span.events.length;
    };
    span.addEvent = function (this: Span, ...args: Parameters<Span['addEvent']>) {
      const before = span.events.length;
      const result = addEvent.apply(this, args);
      safely('recorder addEvent', () => onAdded(before));
      return result;
    };
  }

  private recordSpanEvent(span: SpanLike, index: number, scope: string | undefined): void {
    const e = span.events[index];
    if (!e) return;
    this.recordEvent(
      { name: e.name, attributes: { ...e.attributes }, source: 'span', time: e.time, spanContext: span.spanContext(), span: span as unknown as ReadableSpan, scope: scopeOf(span) },
      scope,
    );
  }

  private onEnd(span: SpanLike): void {
    this.sawSpan = true;
    const ctx = span.spanContext();
    const key = spanKey(ctx.traceId, ctx.spanId);
    const started = this.live.get(key);
    this.live.delete(key);
    const entry: SpanEntry = { span: span as unknown as ReadableSpan, startSeq: started?.startSeq ?? ++this.seq, scope: started?.scope };
    // Events the live hook could not see (a span from a foreign SDK shape, or one that was
    // already running when the recorder was attached) are reported now.
    for (let i = started?.seenEvents ?? 0; i < (span.events?.length ?? 0); i++) this.recordSpanEvent(span, i, entry.scope);
    const dropped = this.spanBuffer.push(entry);
    if (dropped) this.forget(dropped);
    this.byId.set(key, entry);
    const parentId = parentSpanIdOf(span);
    if (parentId !== undefined) {
      const parentKey = spanKey(ctx.traceId, parentId);
      const siblings = this.children.get(parentKey);
      if (siblings) siblings.push(entry);
      else this.children.set(parentKey, [entry]);
    }
    for (const p of this.pending) p.onSpan?.(entry);
  }

  private forget(entry: SpanEntry): void {
    this.dropped.spans += 1;
    if (this.dropped.spans === 1) {
      this.warn(`@dyntel/test-span-assertions: span buffer full (maxSpans ${this.spanBuffer.capacity}); dropping the oldest spans. Call recorder.reset() between tests or raise maxSpans.`);
    }
    const ctx = entry.span.spanContext();
    const key = spanKey(ctx.traceId, ctx.spanId);
    if (this.byId.get(key) === entry) this.byId.delete(key);
    const parentId = parentSpanIdOf(entry.span as unknown as SpanLike);
    if (parentId !== undefined) {
      const parentKey = spanKey(ctx.traceId, parentId);
      const siblings = this.children.get(parentKey)?.filter((e) => e !== entry);
      if (siblings?.length) this.children.set(parentKey, siblings);
      else this.children.delete(parentKey);
    }
  }

  private onEmit(record: ReadWriteLogRecord, ctx: Context | undefined): void {
    this.sawEvent = true;
    // Only log records that are events (they have an event name) are awaitable.
    if (!record.eventName) return;
    this.recordEvent(
      {
        name: record.eventName,
        attributes: { ...record.attributes },
        source: 'log',
        time: record.hrTime,
        spanContext: record.spanContext,
        severityNumber: record.severityNumber,
        severityText: record.severityText,
        body: record.body,
        scope: record.instrumentationScope,
      },
      scopeOfContext(ctx ?? context.active()),
    );
  }

  private recordEvent(event: RecordedEvent, scope: string | undefined): void {
    this.sawEvent = true;
    const entry: EventEntry = { event, seq: ++this.seq, scope };
    if (this.eventBuffer.push(entry)) {
      this.dropped.events += 1;
      if (this.dropped.events === 1) {
        this.warn(`@dyntel/test-span-assertions: event buffer full (maxEvents ${this.eventBuffer.capacity}); dropping the oldest events.`);
      }
    }
    for (const p of this.pending) p.onEvent?.(entry);
  }

  /** Records one synchronous metric measurement (called by the recording meter provider). */
  recordMeasurement(measurement: RecordedMeasurement, ctx?: Context): void {
    safely('recorder measurement', () => {
      const entry: MeasurementEntry = { measurement, seq: ++this.seq, scope: scopeOfContext(ctx ?? context.active()) };
      if (this.measurementBuffer.push(entry)) {
        this.dropped.measurements += 1;
        if (this.dropped.measurements === 1) {
          this.warn(`@dyntel/test-span-assertions: measurement buffer full (maxMeasurements ${this.measurementBuffer.capacity}); dropping the oldest.`);
        }
      }
      for (const p of this.pending) p.onMeasurement?.(entry);
    });
  }

  /**
   * Wraps a meter provider so that synchronous measurements reach this recorder the moment they
   * are recorded (installRecorder does this for you). Without it, metric waits read the metric
   * reader whenever other telemetry arrives and when they start.
   */
  wrapMeterProvider(provider: MeterProvider): MeterProvider {
    return recordingMeterProvider(provider, (m, ctx) => this.recordMeasurement(m, ctx));
  }

  /**
   * Re-registers the current global meter provider (e.g. the one `NodeSDK.start()` registered)
   * wrapped by {@link wrapMeterProvider}, so metric waits resolve on the measurement itself.
   * Meters already taken from the old global keep reporting only through the metric reader.
   */
  captureGlobalMeasurements(): void {
    const current = metrics.getMeterProvider();
    const wrapped = this.wrapMeterProvider(current);
    if (wrapped === current) return;
    metrics.disable();
    metrics.setGlobalMeterProvider(wrapped);
  }

  // ---------------------------------------------------------------- inspection

  /** Ended spans, oldest first (this test's scope inside `isolate()`, unless `scope: 'all'`). */
  spans(options: { scope?: 'current' | 'all' } = {}): ReadableSpan[] {
    const scope = this.scopeFilter(options.scope);
    return this.spanBuffer.toArray().filter((e) => visible(e, scope)).map((e) => e.span);
  }

  /** Recorded events (span events and log records with an event name), oldest first. */
  events(options: { scope?: 'current' | 'all' } = {}): RecordedEvent[] {
    const scope = this.scopeFilter(options.scope);
    return this.eventBuffer.toArray().filter((e) => visible(e, scope)).map((e) => e.event);
  }

  /** Recorded synchronous metric measurements, oldest first. */
  measurements(options: { scope?: 'current' | 'all' } = {}): RecordedMeasurement[] {
    const scope = this.scopeFilter(options.scope);
    return this.measurementBuffer.toArray().filter((e) => visible(e, scope)).map((e) => e.measurement);
  }

  /** Counts of items dropped from the bounded buffers since the last reset. */
  get droppedCounts(): Readonly<{ spans: number; events: number; measurements: number }> {
    return { ...this.dropped };
  }

  /** Forgets every recorded span, event and measurement. Pending waits keep waiting. */
  reset(): void {
    this.spanBuffer.clear();
    this.eventBuffer.clear();
    this.measurementBuffer.clear();
    this.byId.clear();
    this.children.clear();
    this.dropped = { spans: 0, events: 0, measurements: 0 };
  }

  // ---------------------------------------------------------------- isolation

  /**
   * Runs `fn` in a fresh test scope: every span, event and measurement it causes (through
   * async work, timers and in-process HTTP carrying baggage) is tagged with the scope, and
   * waits started inside only see telemetry of that scope. Use it per `test.concurrent`.
   */
  isolate<T>(fn: () => T, label?: string): T {
    const scope = newScopeId(label);
    return context.with(contextWithScope(context.active(), scope), () => {
      // Without a context manager, context.with() is a no-op and the scope would silently vanish.
      if (activeScope() !== scope) {
        throw new Error(
          'recorder.isolate() needs an OpenTelemetry context manager to carry the test scope: call installRecorder(), ' +
            'start your NodeSDK, or register an AsyncLocalStorageContextManager before isolating tests.',
        );
      }
      return fn();
    });
  }

  /** Wraps a test function so that its body runs in {@link isolate}. */
  scoped<A extends unknown[], T>(fn: (...args: A) => T, label?: string): (...args: A) => T {
    return (...args: A) => this.isolate(() => fn(...args), label);
  }

  // ---------------------------------------------------------------- waits

  /** Resolves with the first span matching `pattern` (already recorded or yet to end). */
  async waitForSpan(pattern: SpanPattern, options: WaitOptions = {}): Promise<ReadableSpan> {
    const site = callSite(this.waitForSpan);
    const [span] = await this.collectSpans('waitForSpan', site, pattern, 1, options);
    return span!;
  }

  /** Resolves with the first `count` spans matching `pattern`. */
  async waitForSpans(pattern: SpanPattern, options: WaitOptions & { count?: number } = {}): Promise<ReadableSpan[]> {
    return this.collectSpans('waitForSpans', callSite(this.waitForSpans), pattern, validateCount(options.count ?? 1, 'waitForSpans'), options);
  }

  private collectSpans(label: string, site: Error, pattern: SpanPattern, count: number, options: WaitOptions): Promise<ReadableSpan[]> {
    validateSpanPattern(pattern);
    const scope = this.scopeFilter(options.scope);
    const structural = isStructural(pattern);
    const scan = () => this.visibleSpans(scope).filter((e) => evaluateSpan(pattern, e.span, this.graph).ok);
    const found = scan();
    if (found.length >= count) return Promise.resolve(found.slice(0, count).map((e) => e.span));
    return this.pend<ReadableSpan[]>(label, site, options, (ctl) => ({
      onSpan: (entry) => {
        if (structural) {
          // A relation may have been completed by this span anywhere in the buffer.
          const all = scan();
          if (all.length >= count) ctl.resolve(all.slice(0, count).map((e) => e.span));
          return;
        }
        if (!visible(entry, scope) || !evaluateSpan(pattern, entry.span, this.graph).ok) return;
        found.push(entry);
        if (found.length >= count) ctl.resolve(found.map((e) => e.span));
      },
    }), (timeoutMs) =>
      explainSpanWait({
        label,
        timeoutMs,
        patterns: [pattern],
        source: this.explainSource,
        scope,
        progress: count > 1 ? [`Matched ${found.length} of ${count} spans.`] : undefined,
      }),
    );
  }

  /** Resolves with the first span matching any pattern, and that pattern's index. */
  async waitForAny(patterns: readonly SpanPattern[], options: WaitOptions = {}): Promise<{ index: number; span: ReadableSpan }> {
    const site = callSite(this.waitForAny);
    validatePatternList(patterns, 'waitForAny');
    const scope = this.scopeFilter(options.scope);
    const firstMatch = (entry: SpanEntry) => {
      const index = patterns.findIndex((p) => evaluateSpan(p, entry.span, this.graph).ok);
      return index === -1 ? undefined : { index, span: entry.span };
    };
    const scan = () => {
      for (const e of this.visibleSpans(scope)) {
        const hit = firstMatch(e);
        if (hit) return hit;
      }
      return undefined;
    };
    const existing = scan();
    if (existing) return Promise.resolve(existing);
    const structural = patterns.some(isStructural);
    return this.pend('waitForAny', site, options, (ctl) => ({
      onSpan: (entry) => {
        const hit = structural ? scan() : visible(entry, scope) ? firstMatch(entry) : undefined;
        if (hit) ctl.resolve(hit);
      },
    }), (timeoutMs) => explainSpanWait({ label: 'waitForAny', timeoutMs, patterns, source: this.explainSource, scope }));
  }

  /** Resolves when every pattern has matched a distinct span, in any order; spans in pattern order. */
  async waitForAll(patterns: readonly SpanPattern[], options: WaitOptions = {}): Promise<ReadableSpan[]> {
    const site = callSite(this.waitForAll);
    validatePatternList(patterns, 'waitForAll');
    const scope = this.scopeFilter(options.scope);
    const attempt = () => assignDistinct(patterns, this.visibleSpans(scope), (p, e) => evaluateSpan(p, e.span, this.graph).ok);
    const existing = attempt();
    if (existing.assignment) return Promise.resolve(existing.assignment.map((e) => e.span));
    let progress = existing.matched;
    return this.pend('waitForAll', site, options, (ctl) => ({
      onSpan: (entry) => {
        if (!visible(entry, scope)) return;
        const result = attempt();
        progress = result.matched;
        if (result.assignment) ctl.resolve(result.assignment.map((e) => e.span));
      },
    }), (timeoutMs) =>
      explainSpanWait({
        label: 'waitForAll',
        timeoutMs,
        patterns,
        source: this.explainSource,
        scope,
        progress: [`Matched ${progress.filter(Boolean).length} of ${patterns.length}: ${patterns.map((p, i) => `${progress[i] ? '✓' : '✗'} [${i}]`).join(' ')}`],
      }),
    );
  }

  /**
   * Resolves with one span per step when the steps occur in order. Every step subscribes up
   * front and the order comes from recorded sequence numbers, so nothing that happens between
   * two steps (or before the call) is lost.
   */
  async waitForSequence(patterns: readonly SpanPattern[], options: SequenceOptions = {}): Promise<ReadableSpan[]> {
    const site = callSite(this.waitForSequence);
    validatePatternList(patterns, 'waitForSequence');
    const mode = options.mode ?? 'subsequence';
    const by = options.by ?? 'end';
    if (!['subsequence', 'contiguous', 'exact'].includes(mode)) {
      throw new TypeError(`waitForSequence: invalid mode ${describeValue(mode)}; accepted: 'subsequence', 'contiguous', 'exact'`);
    }
    if (by !== 'end' && by !== 'start') {
      throw new TypeError(`waitForSequence: invalid by ${describeValue(by)}; accepted: 'end', 'start'`);
    }
    const scope = this.scopeFilter(options.scope);
    const search = () => findSequence(ordered(this.visibleSpans(scope), by), patterns, mode, by, this.graph);
    let last = search();
    const progress = () => [
      `Sequence (${mode}, by ${by}): matched ${last.partial.length} of ${patterns.length} steps${last.partial.length ? ': ' + last.partial.map((e) => JSON.stringify(e.span.name)).join(' → ') : ''}.`,
      `Recorded order: ${ordered(this.visibleSpans(scope), by).slice(-12).map((e) => JSON.stringify(e.span.name)).join(' → ') || '(nothing)'}`,
    ];
    const impossible = () =>
      withCallSite(
        explainSpanWait({
          label: 'waitForSequence',
          timeoutMs: 0,
          patterns,
          source: this.explainSource,
          scope,
          progress: progress(),
          headline: 'waitForSequence can no longer succeed: in exact mode the recorded spans already differ from the steps.',
          reason: 'impossible',
        }),
        site,
      );
    if (last.matched) return Promise.resolve(last.matched.map((e) => e.span));
    if (last.impossible) return Promise.reject(impossible());
    return this.pend('waitForSequence', site, options, (ctl) => ({
      onSpan: (entry) => {
        if (!visible(entry, scope)) return;
        last = search();
        if (last.matched) ctl.resolve(last.matched.map((e) => e.span));
        else if (last.impossible) ctl.reject(impossible());
      },
    }), (timeoutMs) => explainSpanWait({ label: 'waitForSequence', timeoutMs, patterns, source: this.explainSource, scope, progress: progress() }));
  }

  /** Resolves when a recorded span and its descendants match a tree pattern (`children` nest). */
  async waitForTrace(pattern: TracePattern, options: WaitOptions = {}): Promise<TraceMatch> {
    const site = callSite(this.waitForTrace);
    validateTracePattern(pattern);
    const scope = this.scopeFilter(options.scope);
    const root = rootPattern(pattern);
    const scan = (): TraceMatch | undefined => {
      for (const e of this.visibleSpans(scope)) {
        const tree = matchTrace(pattern, e.span as unknown as SpanLike, this.graph);
        if (tree) return { root: tree.span, spans: flattenTrace(tree), tree };
      }
      return undefined;
    };
    const existing = scan();
    if (existing) return Promise.resolve(existing);
    return this.pend('waitForTrace', site, options, (ctl) => ({
      onSpan: (entry) => {
        if (!visible(entry, scope)) return;
        const hit = scan();
        if (hit) ctl.resolve(hit);
      },
    }), (timeoutMs) =>
      explainSpanWait({
        label: 'waitForTrace',
        timeoutMs,
        patterns: [root],
        source: this.explainSource,
        scope,
        progress: [`The tree below the root did not match: ${describeTree(pattern)}`],
      }),
    );
  }

  /**
   * Fails at the first span matching `pattern` (already recorded or yet to come). Passes when
   * `until` arrives (a span pattern or a promise), or, without `until`, when the timeout ends.
   */
  async refuteSpan(pattern: SpanPattern, options: RefuteOptions = {}): Promise<void> {
    const site = callSite(this.refuteSpan);
    validateSpanPattern(pattern);
    const scope = this.scopeFilter(options.scope);
    const until = options.until;
    const untilPattern = until !== undefined && !isThenable(until) ? until : undefined;
    if (untilPattern !== undefined) validateSpanPattern(untilPattern, 'until pattern');
    const refuted = (entry: SpanEntry) =>
      withCallSite(
        new WaitTimeoutError(
          `refuteSpan: a span that must not happen was recorded.\n\nRefuted pattern:\n  ${describeSpanPattern(pattern)}\n\nRecorded span:\n  ${JSON.stringify(entry.span.name)} ${describeValue(entry.span.attributes)}` +
            (untilPattern !== undefined ? `\n\nIt arrived before the until pattern ${describeSpanPattern(untilPattern)}.` : ''),
          `no span matching ${describeSpanPattern(pattern)}`,
          `${entry.span.name}`,
          'refuted',
        ),
        site,
      );
    const visibleNow = this.visibleSpans(scope);
    const already = visibleNow.find((e) => evaluateSpan(pattern, e.span, this.graph).ok);
    if (already) return Promise.reject(refuted(already));
    if (untilPattern !== undefined && visibleNow.some((e) => evaluateSpan(untilPattern, e.span, this.graph).ok)) return Promise.resolve();
    return this.pend<void>('refuteSpan', site, options, (ctl) => {
      if (isThenable(until)) {
        Promise.resolve(until).then(() => ctl.resolve(), (error: unknown) => ctl.reject(error instanceof Error ? error : new Error(String(error))));
      }
      return {
        onSpan: (entry) => {
          if (!visible(entry, scope)) return;
          if (evaluateSpan(pattern, entry.span, this.graph).ok) ctl.reject(refuted(entry));
          else if (untilPattern !== undefined && evaluateSpan(untilPattern, entry.span, this.graph).ok) ctl.resolve();
        },
      };
    }, (timeoutMs) => {
      if (until === undefined) return undefined;
      const waitedFor = untilPattern !== undefined ? `the until pattern ${describeSpanPattern(untilPattern)}` : 'the until promise';
      return untilPattern !== undefined
        ? explainSpanWait({
            label: 'refuteSpan',
            timeoutMs,
            patterns: [untilPattern],
            source: this.explainSource,
            scope,
            headline: `refuteSpan timed out after ${timeoutMs} ms waiting for ${waitedFor}; no refuted span was seen, but the refutation window never closed.`,
          })
        : new WaitTimeoutError(`refuteSpan timed out after ${timeoutMs} ms waiting for ${waitedFor}; no refuted span was seen, but the window never closed.`, waitedFor, '');
    });
  }

  /**
   * Resolves with the first event matching `pattern`: a span event (seen when it is added) or a
   * log record with an event name (seen when it is emitted, even on a timer outside any span).
   */
  async waitForEvent(pattern: EventPattern, options: WaitOptions = {}): Promise<RecordedEvent> {
    const [event] = await this.collectEvents('waitForEvent', callSite(this.waitForEvent), pattern, 1, options);
    return event!;
  }

  /** Resolves with the first `count` events matching `pattern`. */
  async waitForEvents(pattern: EventPattern, options: WaitOptions & { count?: number } = {}): Promise<RecordedEvent[]> {
    return this.collectEvents('waitForEvents', callSite(this.waitForEvents), pattern, validateCount(options.count ?? 1, 'waitForEvents'), options);
  }

  private collectEvents(label: string, site: Error, pattern: EventPattern, count: number, options: WaitOptions): Promise<RecordedEvent[]> {
    validateEventPattern(pattern);
    const scope = this.scopeFilter(options.scope);
    const found = this.eventBuffer.toArray().filter((e) => visible(e, scope) && evaluateEvent(pattern, e.event).ok);
    if (found.length >= count) return Promise.resolve(found.slice(0, count).map((e) => e.event));
    return this.pend(label, site, options, (ctl) => ({
      onEvent: (entry) => {
        if (!visible(entry, scope) || !evaluateEvent(pattern, entry.event).ok) return;
        found.push(entry);
        if (found.length >= count) ctl.resolve(found.map((e) => e.event));
      },
    }), (timeoutMs) => explainEventWait({ label, timeoutMs, pattern, source: this.explainSource, scope }));
  }

  /**
   * Resolves with a snapshot of metric `name` once it satisfies the condition (`atLeast`,
   * `atMost`, `predicate`; by default: at least one point matching `where`). Synchronous
   * instruments resolve on the measurement itself; observable ones are collected through the
   * metric reader when the wait starts and whenever other telemetry arrives.
   */
  async waitForMetric(name: string, options: MetricWaitOptions = {}): Promise<MetricSnapshot> {
    const site = callSite(this.waitForMetric);
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`waitForMetric: invalid metric name ${describeValue(name)}; accepted: a non-empty string`);
    }
    for (const key of ['atLeast', 'atMost'] as const) {
      const v = options[key];
      if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
        throw new TypeError(`waitForMetric: invalid ${key} ${describeValue(v)}; accepted: a number`);
      }
    }
    const scope = this.scopeFilter(options.scope);
    const satisfied = (s: MetricSnapshot): boolean => {
      if (options.atLeast !== undefined && !(s.value >= options.atLeast)) return false;
      if (options.atMost !== undefined && !(s.value <= options.atMost)) return false;
      if (options.predicate !== undefined) {
        try {
          return options.predicate(s) === true;
        } catch {
          return false;
        }
      }
      return options.atLeast !== undefined || options.atMost !== undefined || s.points.length > 0;
    };
    const fromMeasurements = () => snapshotFromMeasurements(name, this.measurementBuffer, scope, options.where);
    let { snapshot: latest, unmatched } = fromMeasurements();
    if (latest.source === 'measurements' && satisfied(latest)) return latest;

    return this.pend<MetricSnapshot>('waitForMetric', site, options, (ctl) => {
      // Collection is asynchronous; one runs at a time and a request during it queues one more.
      let collecting = false;
      let again = false;
      const collect = () => {
        if (collecting) {
          again = true;
          return;
        }
        collecting = true;
        this.collectMetrics().then((collection) => {
          collecting = false;
          if (collection && latest.source !== 'measurements') {
            ({ snapshot: latest, unmatched } = snapshotFromCollection(name, collection, options.where));
            if (latest.source === 'collection' && satisfied(latest)) ctl.resolve(latest);
          }
          if (again) {
            again = false;
            collect();
          }
        });
      };
      if (latest.source !== 'measurements') collect();
      return {
        onMeasurement: (entry) => {
          if (entry.measurement.name !== name || !visible(entry, scope)) return;
          ({ snapshot: latest, unmatched } = fromMeasurements());
          if (satisfied(latest)) ctl.resolve(latest);
        },
        onSpan: () => {
          if (latest.source !== 'measurements') collect();
        },
        onEvent: () => {
          if (latest.source !== 'measurements') collect();
        },
      };
    }, (timeoutMs) => this.explainMetric(name, options, latest, unmatched, timeoutMs, scope));
  }

  private explainMetric(
    name: string,
    options: MetricWaitOptions,
    latest: MetricSnapshot,
    unmatched: readonly MetricPoint[],
    timeoutMs: number,
    scope: ScopeFilter,
  ): WaitTimeoutError {
    const condition = [
      options.atLeast !== undefined ? `value >= ${options.atLeast}` : '',
      options.atMost !== undefined ? `value <= ${options.atMost}` : '',
      options.predicate !== undefined ? describeMatcher(options.predicate) : '',
    ].filter(Boolean);
    const where = options.where ? ` where attributes: ${describeRecordMatcher(options.where)}` : '';
    const lines = [
      `waitForMetric timed out after ${timeoutMs} ms.`,
      '',
      `Expected metric ${JSON.stringify(name)}${where} to reach ${condition.join(' and ') || 'at least one matching point'}.`,
      '',
    ];
    if (latest.source === 'none') {
      const names = new Set([...this.measurementBuffer].filter((e) => visible(e, scope)).map((e) => e.measurement.name));
      for (const n of metricNamesIn(this.lastCollection)) names.add(n);
      lines.push(`No measurement of ${JSON.stringify(name)} was recorded${scope === undefined ? '' : ' in this test scope'}.`);
      lines.push(names.size ? `Metrics that were recorded: ${[...names].sort().join(', ')}` : 'No metric was recorded at all: is the recorder installed (installRecorder(), or recorder.metricReader in your MeterProvider)?');
    } else {
      lines.push(`Latest value ${latest.value} from ${latest.points.length} matching point(s) (${latest.source}).`);
      for (const p of latest.points.slice(0, 5)) lines.push(`  ✓ ${describeValue(p.attributes)} = ${p.value}`);
      for (const p of unmatched.slice(0, 5)) lines.push(`  ✗ ${describeValue(p.attributes)} = ${p.value} (does not match where)`);
    }
    return new WaitTimeoutError(lines.join('\n'), `${name}: ${condition.join(' and ') || 'a matching point'}`, `${name}: value ${latest.value}`);
  }

  /** Collects the metric reader; undefined when it is not attached to a meter provider. */
  private async collectMetrics(): Promise<CollectionResult | undefined> {
    try {
      this.lastCollection = await this.metricReader.collect();
      return this.lastCollection;
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- plumbing

  private scopeFilter(option: 'current' | 'all' | undefined): ScopeFilter {
    if (option !== undefined && option !== 'current' && option !== 'all') {
      throw new TypeError(`Invalid scope option ${describeValue(option)}; accepted: 'current' or 'all'`);
    }
    return option === 'all' ? undefined : activeScope();
  }

  private visibleSpans(scope: ScopeFilter): SpanEntry[] {
    const all = this.spanBuffer.toArray();
    return scope === undefined ? all : all.filter((e) => e.scope === scope);
  }

  private get explainSource(): ExplainSource {
    return {
      graph: this.graph,
      spanEntries: () => this.spanBuffer.toArray(),
      liveEntries: () => [...this.live.values()],
      eventEntries: () => this.eventBuffer.toArray(),
      everSawSpan: this.sawSpan,
      everSawEvent: this.sawEvent,
      droppedSpans: this.dropped.spans,
    };
  }

  /**
   * Registers a pending wait and its real-clock timeout. `onTimeout` returns the error to fail
   * with, or undefined to resolve (a refutation window that closed without a match).
   */
  private pend<T>(
    label: string,
    site: Error,
    options: WaitOptions,
    subscribe: (ctl: Control<T>) => Pending,
    onTimeout: (timeoutMs: number) => Error | undefined,
  ): Promise<T> {
    const timeoutMs = validateTimeout(options.timeout ?? this.defaultTimeout, label);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let cleanup = () => {};
      const ctl: Control<T> = {
        resolve: (value) => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          if (settled) return;
          settled = true;
          cleanup();
          reject(error);
        },
      };
      const pending = subscribe(ctl);
      if (settled) return;
      this.pending.add(pending);
      const timer =
        timeoutMs === Infinity
          ? undefined
          : afterRealDelay(timeoutMs, () => {
              const error = onTimeout(timeoutMs);
              if (error) ctl.reject(withCallSite(error, site));
              else ctl.resolve(undefined as T);
            });
      cleanup = () => {
        this.pending.delete(pending);
        timer?.cancel();
      };
    });
  }
}

function describeTree(pattern: TracePattern): string {
  if (typeof pattern === 'string' || pattern instanceof RegExp) return describeSpanPattern(pattern);
  const { children, ...node } = pattern;
  const self = describeSpanPattern(node);
  return children?.length ? `${self} > [${children.map(describeTree).join(', ')}]` : self;
}

/**
 * Assigns each pattern a distinct entry (bipartite matching with augmenting paths), so that
 * overlapping patterns do not steal each other's only match.
 */
function assignDistinct(
  patterns: readonly SpanPattern[],
  entries: readonly SpanEntry[],
  matches: (p: SpanPattern, e: SpanEntry) => boolean,
): { assignment?: SpanEntry[]; matched: boolean[] } {
  const candidates = patterns.map((p) => entries.filter((e) => matches(p, e)));
  const owner = new Map<SpanEntry, number>();
  const tryAssign = (i: number, seen: Set<SpanEntry>): boolean => {
    for (const e of candidates[i]!) {
      if (seen.has(e)) continue;
      seen.add(e);
      const current = owner.get(e);
      if (current === undefined || tryAssign(current, seen)) {
        owner.set(e, i);
        return true;
      }
    }
    return false;
  };
  const matched = patterns.map((_, i) => tryAssign(i, new Set()));
  if (!matched.every(Boolean)) return { matched };
  const assignment: SpanEntry[] = new Array(patterns.length);
  for (const [e, i] of owner) assignment[i] = e;
  return { assignment, matched };
}
