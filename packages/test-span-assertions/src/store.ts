import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { CollectionResult } from '@opentelemetry/sdk-metrics';
import type { RecordedEvent } from './event-pattern';
import type { ExplainSource } from './explain';
import type { RecordedMeasurement } from './measurement';
import type { SpanGraph } from './pattern';
import { visible, type EventEntry, type LiveEntry, type MeasurementEntry, type ScopeFilter, type SpanEntry } from './records';
import { RingBuffer } from './ring-buffer';
import { parentSpanIdOf, type SpanLike } from './span-shape';

/** Bounds of a {@link TelemetryStore}. */
export interface StoreOptions {
  maxSpans: number;
  maxEvents: number;
  maxMeasurements: number;
  /** Where the one warning per full buffer goes. */
  report: (message: string) => void;
}

/** A pending wait's hooks, called synchronously as telemetry is stored. */
export interface Subscriber {
  onSpan?(entry: SpanEntry): void;
  onEvent?(entry: EventEntry): void;
  onMeasurement?(entry: MeasurementEntry): void;
}

/** A started span, with how many of its events the live hook has already recorded. */
export interface LiveSpan extends LiveEntry {
  seenEvents: number;
}

/** Item counts dropped from the bounded buffers. */
export interface DroppedCounts {
  spans: number;
  events: number;
  measurements: number;
}

function spanKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

function keyOf(span: { spanContext(): { traceId: string; spanId: string } }): string {
  const ctx = span.spanContext();
  return spanKey(ctx.traceId, ctx.spanId);
}

function parentKeyOf(span: SpanLike): string | undefined {
  const parentId = parentSpanIdOf(span);
  return parentId === undefined ? undefined : spanKey(span.spanContext().traceId, parentId);
}

/**
 * The recorded telemetry in bounded memory: ended spans (indexed by id and parent), started
 * spans, events and measurements, each stamped with one sequence counter. Storing an item
 * notifies every subscriber at once, which is what makes waits resolve in the same tick.
 */
export class TelemetryStore {
  /** Pending waits; each is told about every stored item. */
  readonly subscribers = new Set<Subscriber>();
  readonly spanBuffer: RingBuffer<SpanEntry>;
  readonly eventBuffer: RingBuffer<EventEntry>;
  readonly measurementBuffer: RingBuffer<MeasurementEntry>;
  /** The latest metric reader collection, for explanations. */
  lastCollection: CollectionResult | undefined;
  private readonly byId = new Map<string, SpanEntry>();
  private readonly children = new Map<string, SpanEntry[]>();
  private readonly live = new Map<string, LiveSpan>();
  private readonly report: (message: string) => void;
  private seq = 0;
  private dropped: DroppedCounts = { spans: 0, events: 0, measurements: 0 };
  private sawSpan = false;
  private sawEvent = false;
  // Instruments live as long as their meter provider, so reset() keeps them.
  private readonly observableInstruments = new Set<string>();

  /** Span navigation for structural patterns: ended spans first, then started ones. */
  readonly graph: SpanGraph = {
    parentOf: (span) => {
      const key = parentKeyOf(span);
      if (key === undefined) return null;
      return this.byId.get(key)?.span ?? this.live.get(key)?.span;
    },
    childrenOf: (span) => this.children.get(keyOf(span))?.map((e) => e.span) ?? [],
  };

  constructor(options: StoreOptions) {
    this.spanBuffer = new RingBuffer(options.maxSpans);
    this.eventBuffer = new RingBuffer(options.maxEvents);
    this.measurementBuffer = new RingBuffer(options.maxMeasurements);
    this.report = options.report;
  }

  /** Notes a started span; returns its live entry. */
  spanStarted(span: ReadableSpan, scope: string | undefined): LiveSpan {
    this.sawSpan = true;
    const entry: LiveSpan = { span, startSeq: ++this.seq, scope, seenEvents: 0 };
    this.live.set(keyOf(span), entry);
    // Spans that never end (a bug in the code under test) must not grow memory without bound;
    // Map iteration order is insertion order, so the first key is the oldest.
    if (this.live.size > this.spanBuffer.capacity) this.live.delete(this.live.keys().next().value!);
    return entry;
  }

  /**
   * Takes the live entry of a span that is ending; a span never seen starting (already running
   * when the recorder was attached) gets one now, outside any scope.
   */
  spanEnding(span: ReadableSpan): LiveSpan {
    this.sawSpan = true;
    const key = keyOf(span);
    const entry = this.live.get(key);
    this.live.delete(key);
    return entry ?? { span, startSeq: ++this.seq, scope: undefined, seenEvents: 0 };
  }

  /** Stores an ended span and notifies the subscribers. */
  spanEnded(span: ReadableSpan, started: LiveSpan): void {
    const entry: SpanEntry = { span, startSeq: started.startSeq, scope: started.scope };
    const dropped = this.spanBuffer.push(entry);
    if (dropped) this.forget(dropped);
    this.byId.set(keyOf(span), entry);
    const parentKey = parentKeyOf(span as unknown as SpanLike);
    if (parentKey !== undefined) {
      const siblings = this.children.get(parentKey);
      if (siblings) siblings.push(entry);
      else this.children.set(parentKey, [entry]);
    }
    for (const s of this.subscribers) s.onSpan?.(entry);
  }

  /** Stores an event and notifies the subscribers. */
  eventRecorded(event: RecordedEvent, scope: string | undefined): void {
    this.sawEvent = true;
    const entry: EventEntry = { event, seq: ++this.seq, scope };
    if (this.eventBuffer.push(entry) && ++this.dropped.events === 1) {
      this.report(`@dyntel/test-span-assertions: event buffer full (maxEvents ${this.eventBuffer.capacity}); dropping the oldest events.`);
    }
    for (const s of this.subscribers) s.onEvent?.(entry);
  }

  /** Notes that a log record reached the recorder, event or not (for the "nothing arrived" hints). */
  logRecordSeen(): void {
    this.sawEvent = true;
  }

  /** Notes an observable instrument created through a wrapped meter provider. */
  observableCreated(meter: string, name: string): void {
    this.observableInstruments.add(JSON.stringify([meter, name]));
  }

  /** Whether metric `name` of `meter` comes from an observable instrument (see observableCreated). */
  isObservable(meter: string, name: string): boolean {
    return this.observableInstruments.has(JSON.stringify([meter, name]));
  }

  /** Stores a synchronous measurement and notifies the subscribers. */
  measurementRecorded(measurement: RecordedMeasurement, scope: string | undefined): void {
    const entry: MeasurementEntry = { measurement, seq: ++this.seq, scope };
    if (this.measurementBuffer.push(entry) && ++this.dropped.measurements === 1) {
      this.report(`@dyntel/test-span-assertions: measurement buffer full (maxMeasurements ${this.measurementBuffer.capacity}); dropping the oldest.`);
    }
    for (const s of this.subscribers) s.onMeasurement?.(entry);
  }

  private forget(entry: SpanEntry): void {
    if (++this.dropped.spans === 1) {
      this.report(`@dyntel/test-span-assertions: span buffer full (maxSpans ${this.spanBuffer.capacity}); dropping the oldest spans. Call recorder.reset() between tests or raise maxSpans.`);
    }
    const key = keyOf(entry.span);
    if (this.byId.get(key) === entry) this.byId.delete(key);
    const parentKey = parentKeyOf(entry.span as unknown as SpanLike);
    if (parentKey !== undefined) {
      const siblings = this.children.get(parentKey)?.filter((e) => e !== entry);
      if (siblings?.length) this.children.set(parentKey, siblings);
      else this.children.delete(parentKey);
    }
  }

  /** Ended span entries visible to `scope`, in end order. */
  visibleSpans(scope: ScopeFilter): SpanEntry[] {
    const all = this.spanBuffer.toArray();
    return scope === undefined ? all : all.filter((e) => e.scope === scope);
  }

  /** Ended spans visible to `scope`, oldest first. */
  spans(scope: ScopeFilter): ReadableSpan[] {
    return this.visibleSpans(scope).map((e) => e.span);
  }

  /** Events visible to `scope`, oldest first. */
  events(scope: ScopeFilter): RecordedEvent[] {
    return this.eventBuffer.toArray().filter((e) => visible(e, scope)).map((e) => e.event);
  }

  /** Measurements visible to `scope`, oldest first. */
  measurements(scope: ScopeFilter): RecordedMeasurement[] {
    return this.measurementBuffer.toArray().filter((e) => visible(e, scope)).map((e) => e.measurement);
  }

  /** Counts of items dropped since the last reset. */
  get droppedCounts(): Readonly<DroppedCounts> {
    return { ...this.dropped };
  }

  /** Forgets every ended span, event and measurement; started spans and subscribers stay. */
  reset(): void {
    this.spanBuffer.clear();
    this.eventBuffer.clear();
    this.measurementBuffer.clear();
    this.byId.clear();
    this.children.clear();
    this.dropped = { spans: 0, events: 0, measurements: 0 };
  }

  /** What explanations read, as of now. */
  get explainSource(): ExplainSource {
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
}
