import { context, type Context } from '@opentelemetry/api';
import { MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { safely } from '@dyntel/instrumentation-kit';
import { scopeOf, type SpanLike } from './span-shape';
import type { TelemetryStore } from './store';
import { activeScope, scopeOfContext } from './test-scope';

/** Collects observable instruments on demand for metric waits. */
export class RecorderMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}

  /** Collects, remembering the result in `store` for explanations; undefined when not attached to a meter provider. */
  async collectInto(store: TelemetryStore): Promise<CollectionResult | undefined> {
    try {
      store.lastCollection = await this.collect();
      return store.lastCollection;
    } catch {
      return undefined;
    }
  }
}

function recordSpanEvent(store: TelemetryStore, span: SpanLike, index: number, scope: string | undefined): void {
  const e = span.events[index];
  if (!e) return;
  store.eventRecorded(
    { name: e.name, attributes: { ...e.attributes }, source: 'span', time: e.time, spanContext: span.spanContext(), span: span as unknown as ReadableSpan, scope: scopeOf(span) },
    scope,
  );
}

function onStart(store: TelemetryStore, span: Span, parentContext: Context): void {
  const entry = store.spanStarted(span as unknown as ReadableSpan, scopeOfContext(parentContext));
  // Span events are reported the moment they are added, not when the span ends, so a wait
  // for an event on a long-lived span resolves at once.
  const addEvent = span.addEvent;
  if (typeof addEvent !== 'function') return;
  const onAdded = (before: number) => {
    for (let i = before; i < span.events.length; i++) recordSpanEvent(store, span as unknown as SpanLike, i, activeScope() ?? entry.scope);
    entry.seenEvents = span.events.length;
  };
  span.addEvent = function (this: Span, ...args: Parameters<Span['addEvent']>) {
    const before = span.events.length;
    const result = addEvent.apply(this, args);
    safely('recorder addEvent', () => onAdded(before));
    return result;
  };
}

function onEnd(store: TelemetryStore, span: SpanLike): void {
  const started = store.spanEnding(span as unknown as ReadableSpan);
  // Events the live hook could not see (a span from a foreign SDK shape, or one that was
  // already running when the recorder was attached) are reported now.
  for (let i = started.seenEvents; i < (span.events?.length ?? 0); i++) recordSpanEvent(store, span, i, started.scope);
  store.spanEnded(span as unknown as ReadableSpan, started);
}

/** A span processor that stores into `store`; it never throws into the SDK. */
export function capturingSpanProcessor(store: TelemetryStore): SpanProcessor {
  return {
    onStart: (span: Span, parentContext: Context) => safely('recorder onStart', () => onStart(store, span, parentContext)),
    onEnd: (span: ReadableSpan) => safely('recorder onEnd', () => onEnd(store, span as unknown as SpanLike)),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

function onEmit(store: TelemetryStore, record: ReadWriteLogRecord, ctx: Context | undefined): void {
  store.logRecordSeen();
  // Only log records that are events (they have an event name) are awaitable.
  if (!record.eventName) return;
  store.eventRecorded(
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

/** A log record processor that stores records with an event name into `store`. */
export function capturingLogRecordProcessor(store: TelemetryStore): LogRecordProcessor {
  return {
    onEmit: (record: ReadWriteLogRecord, ctx?: Context) => safely('recorder onEmit', () => onEmit(store, record, ctx)),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
