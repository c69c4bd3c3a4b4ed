import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import { context, metrics, type Context, type MeterProvider } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { safely } from '@dyntel/instrumentation-kit';
import { capturingLogRecordProcessor, capturingSpanProcessor, RecorderMetricReader } from './capture';
import type { EventPattern, RecordedEvent } from './event-pattern';
import { collectEvents } from './event-waits';
import type { MetricSnapshot, RecordedMeasurement } from './measurement';
import { waitForMetric, type MetricWaitOptions } from './metric-waits';
import type { SpanGraph, SpanPattern } from './pattern';
import { recordingMeterProvider } from './recording-meter-provider';
import { refuteSpan, type RefuteOptions } from './refute';
import { collectSpans, waitForAll, waitForAny, waitForSequence, waitForTrace, type SequenceOptions, type TraceMatch } from './span-waits';
import { TelemetryStore } from './store';
import { runInNewScope, scopeOfContext } from './test-scope';
import type { TracePattern } from './trace-tree';
import { callSite, timeoutOf, validateCount, WaitCore, type WaitOptions } from './waiter';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** Most spans kept; older ones are dropped with a warning. Default 10,000. */
  maxSpans?: number;
  /** Most events (span events and log records) kept. Default 10,000. */
  maxEvents?: number;
  /** Most metric measurements kept. Default 10,000. */
  maxMeasurements?: number;
  /**
   * Default timeout of every wait, in real milliseconds (at most 2^31-1, or Infinity). Default
   * 4,000: below vitest's default test timeout (5,000), so a wait that fails reports why before
   * the runner ends the test.
   */
  timeoutMillis?: number;
  /** Where drop warnings go; `process.emitWarning` by default. */
  report?: (message: string) => void;
}

const DEFAULT_CAPACITY = 10_000;
// Below vitest's default testTimeout: a runner that ends the test first hides the explanation.
const DEFAULT_TIMEOUT_MS = 4_000;

// One accessor per copy of this package in the process: a CommonJS test file beside an ES setup
// file loads both builds, and the recorder installed by one must serve the other's domain waits.
const CORE_ACCESSORS = Symbol.for('dyntel.test-span-assertions.core-accessors');
type CoreAccessor = (recorder: object) => WaitCore | undefined;
const coreAccessors: CoreAccessor[] = ((globalThis as { [CORE_ACCESSORS]?: CoreAccessor[] })[CORE_ACCESSORS] ??= []);

/**
 * The wait core of a recorder, for waits defined outside the class (domain waits); throws a
 * TypeError for anything that is not a Recorder (of any copy of the package).
 */
export function waitCoreOf(recorder: Recorder, label: string): WaitCore {
  const core = typeof recorder === 'object' && recorder !== null ? coreAccessors.map((get) => get(recorder)).find((c) => c !== undefined) : undefined;
  if (!core) throw new TypeError(invalidValueMessage({ source: label, subject: 'recorder', value: recorder, expected: 'a Recorder (from installRecorder() or createRecorder())' }));
  return core;
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
  /** Span navigation for structural patterns: ended spans first, then started ones. */
  readonly graph: SpanGraph;

  readonly #store: TelemetryStore;
  readonly #core: WaitCore;
  readonly #reader: RecorderMetricReader;

  static {
    coreAccessors.push((recorder) => (#core in recorder ? recorder.#core : undefined));
  }

  constructor(options: RecorderOptions = {}) {
    const defaultTimeout = timeoutOf(options, DEFAULT_TIMEOUT_MS, 'createRecorder');
    this.#store = new TelemetryStore({
      maxSpans: options.maxSpans ?? DEFAULT_CAPACITY,
      maxEvents: options.maxEvents ?? DEFAULT_CAPACITY,
      maxMeasurements: options.maxMeasurements ?? DEFAULT_CAPACITY,
      report: options.report ?? ((message) => process.emitWarning(message, { code: 'DYNTEL_RECORDER_DROPPED' })),
    });
    this.#core = new WaitCore(this.#store, defaultTimeout);
    this.#reader = new RecorderMetricReader();
    this.graph = this.#store.graph;
    this.spanProcessor = capturingSpanProcessor(this.#store);
    this.logRecordProcessor = capturingLogRecordProcessor(this.#store);
    this.metricReader = this.#reader;
  }

  // ---------------------------------------------------------------- measurement capture

  /** Records one synchronous metric measurement (called by the recording meter provider). */
  recordMeasurement(measurement: RecordedMeasurement, ctx?: Context): void {
    safely('recorder measurement', () => this.#store.measurementRecorded(measurement, scopeOfContext(ctx ?? context.active())));
  }

  /**
   * Wraps a meter provider so that synchronous measurements reach this recorder the moment they
   * are recorded (installRecorder does this for you). Without it, metric waits read the metric
   * reader whenever other telemetry arrives and when they start.
   */
  wrapMeterProvider(provider: MeterProvider): MeterProvider {
    return recordingMeterProvider(provider, {
      measurement: (m, ctx) => this.recordMeasurement(m, ctx),
      observable: (meter, name) => this.#store.observableCreated(meter, name),
    });
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
    return this.#store.spans(this.#core.scopeFilter(options.scope));
  }

  /** Recorded events (span events and log records with an event name), oldest first. */
  events(options: { scope?: 'current' | 'all' } = {}): RecordedEvent[] {
    return this.#store.events(this.#core.scopeFilter(options.scope));
  }

  /** Recorded synchronous metric measurements, oldest first. */
  measurements(options: { scope?: 'current' | 'all' } = {}): RecordedMeasurement[] {
    return this.#store.measurements(this.#core.scopeFilter(options.scope));
  }

  /** Counts of items dropped from the bounded buffers since the last reset. */
  get droppedCounts(): Readonly<{ spans: number; events: number; measurements: number }> {
    return this.#store.droppedCounts;
  }

  /** Forgets every recorded span, event and measurement. Pending waits keep waiting. */
  reset(): void {
    this.#store.reset();
  }

  // ---------------------------------------------------------------- isolation

  /**
   * Runs `fn` in a fresh test scope: every span, event and measurement it causes (through
   * async work, timers and in-process HTTP carrying baggage) is tagged with the scope, and
   * waits started inside only see telemetry of that scope. Use it per `test.concurrent`.
   */
  isolate<T>(fn: () => T, label?: string): T {
    return runInNewScope(fn, label);
  }

  /** Wraps a test function so that its body runs in {@link isolate}. */
  scoped<A extends unknown[], T>(fn: (...args: A) => T, label?: string): (...args: A) => T {
    return (...args: A) => this.isolate(() => fn(...args), label);
  }

  // ---------------------------------------------------------------- waits

  /** Resolves with the first span matching `pattern` (already recorded or yet to end). */
  async waitForSpan(pattern: SpanPattern, options: WaitOptions = {}): Promise<ReadableSpan> {
    const site = callSite(this.waitForSpan);
    const [span] = await collectSpans(this.#core, 'waitForSpan', site, pattern, 1, options);
    return span!;
  }

  /** Resolves with the first `count` spans matching `pattern`. */
  async waitForSpans(pattern: SpanPattern, options: WaitOptions & { count?: number } = {}): Promise<ReadableSpan[]> {
    const site = callSite(this.waitForSpans);
    return collectSpans(this.#core, 'waitForSpans', site, pattern, validateCount(options.count ?? 1, 'waitForSpans'), options);
  }

  /** Resolves with the first span matching any pattern, and that pattern's index. */
  async waitForAny(patterns: readonly SpanPattern[], options: WaitOptions = {}): Promise<{ index: number; span: ReadableSpan }> {
    return waitForAny(this.#core, callSite(this.waitForAny), patterns, options);
  }

  /** Resolves when every pattern has matched a distinct span, in any order; spans in pattern order. */
  async waitForAll(patterns: readonly SpanPattern[], options: WaitOptions = {}): Promise<ReadableSpan[]> {
    return waitForAll(this.#core, callSite(this.waitForAll), patterns, options);
  }

  /**
   * Resolves with one span per step when the steps occur in order. Every step subscribes up
   * front and the order comes from recorded sequence numbers, so nothing that happens between
   * two steps (or before the call) is lost.
   */
  async waitForSequence(patterns: readonly SpanPattern[], options: SequenceOptions = {}): Promise<ReadableSpan[]> {
    return waitForSequence(this.#core, callSite(this.waitForSequence), patterns, options);
  }

  /** Resolves when a recorded span and its descendants match a tree pattern (`children` nest). */
  async waitForTrace(pattern: TracePattern, options: WaitOptions = {}): Promise<TraceMatch> {
    return waitForTrace(this.#core, callSite(this.waitForTrace), pattern, options);
  }

  /**
   * Fails at the first span matching `pattern` (already recorded or yet to come). Passes when
   * `until` arrives (a span pattern or a promise), or, without `until`, when the timeout ends.
   */
  async refuteSpan(pattern: SpanPattern, options: RefuteOptions = {}): Promise<void> {
    return refuteSpan(this.#core, callSite(this.refuteSpan), pattern, options);
  }

  /**
   * Resolves with the first event matching `pattern`: a span event (seen when it is added) or a
   * log record with an event name (seen when it is emitted, even on a timer outside any span).
   */
  async waitForEvent(pattern: EventPattern, options: WaitOptions = {}): Promise<RecordedEvent> {
    const [event] = await collectEvents(this.#core, 'waitForEvent', callSite(this.waitForEvent), pattern, 1, options);
    return event!;
  }

  /** Resolves with the first `count` events matching `pattern`. */
  async waitForEvents(pattern: EventPattern, options: WaitOptions & { count?: number } = {}): Promise<RecordedEvent[]> {
    const site = callSite(this.waitForEvents);
    return collectEvents(this.#core, 'waitForEvents', site, pattern, validateCount(options.count ?? 1, 'waitForEvents'), options);
  }

  /**
   * Resolves with a snapshot of metric `name` once it satisfies the condition (`atLeast`,
   * `atMost`, `predicate`; by default: at least one point matching `where`). Synchronous
   * instruments resolve on the measurement itself; observable ones are collected through the
   * metric reader when the wait starts and whenever other telemetry arrives.
   */
  async waitForMetric(name: string, options: MetricWaitOptions = {}): Promise<MetricSnapshot> {
    return waitForMetric(this.#core, this.#reader, callSite(this.waitForMetric), name, options);
  }
}
