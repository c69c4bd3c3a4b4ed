import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import { SpanKind, SpanStatusCode, type Attributes, type HrTime, type SpanContext } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/**
 * The fields the recorder reads from a span, tolerant of the older SDK shapes: 1.x spans carry
 * `parentSpanId` and `instrumentationLibrary`, 2.x and 3.x spans `parentSpanContext` and
 * `instrumentationScope`.
 */
export interface SpanLike {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext;
  readonly parentSpanId?: string;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: { code: SpanStatusCode; message?: string };
  readonly attributes: Attributes;
  readonly links: ReadableSpan['links'];
  readonly events: ReadableSpan['events'];
  readonly duration?: HrTime;
  readonly resource?: { attributes: Attributes };
  readonly instrumentationScope?: { name: string; version?: string };
  readonly instrumentationLibrary?: { name: string; version?: string };
}

/** The parent's span id, or undefined for a root span. */
export function parentSpanIdOf(span: SpanLike): string | undefined {
  return span.parentSpanContext?.spanId ?? span.parentSpanId ?? undefined;
}

/** The instrumentation scope that produced the span. */
export function scopeOf(span: SpanLike): { name: string; version?: string } {
  return span.instrumentationScope ?? span.instrumentationLibrary ?? { name: '' };
}

/** Duration in milliseconds; 0 for a span that has not ended. */
export function durationMillisOf(span: SpanLike): number {
  const d = span.duration;
  if (d && (d[0] !== 0 || d[1] !== 0)) return hrTimeToMilliseconds(d);
  if (span.endTime && (span.endTime[0] !== 0 || span.endTime[1] !== 0)) {
    return hrTimeToMilliseconds(span.endTime) - hrTimeToMilliseconds(span.startTime);
  }
  return 0;
}

/** Lower-case kind names accepted in patterns. */
export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
/** Lower-case status names accepted in patterns. */
export type StatusName = 'unset' | 'ok' | 'error';

const KIND_NAMES: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};
const STATUS_NAMES: Record<StatusName, SpanStatusCode> = {
  unset: SpanStatusCode.UNSET,
  ok: SpanStatusCode.OK,
  error: SpanStatusCode.ERROR,
};

/** Resolves a kind given as a name or a `SpanKind`; throws a clear error otherwise. */
export function toSpanKind(kind: SpanKind | SpanKindName | Uppercase<SpanKindName>): SpanKind {
  if (typeof kind === 'number' && SpanKind[kind] !== undefined) return kind;
  const byName = typeof kind === 'string' ? KIND_NAMES[kind.toLowerCase() as SpanKindName] : undefined;
  if (byName === undefined) {
    throw new TypeError(
      invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: 'span kind', value: kind, expected: `a SpanKind or one of ${Object.keys(KIND_NAMES).join(', ')}` }),
    );
  }
  return byName;
}

/** Resolves a status code given as a name or a `SpanStatusCode`; throws a clear error otherwise. */
export function toStatusCode(code: SpanStatusCode | StatusName | Uppercase<StatusName>): SpanStatusCode {
  if (typeof code === 'number' && SpanStatusCode[code] !== undefined) return code;
  const byName = typeof code === 'string' ? STATUS_NAMES[code.toLowerCase() as StatusName] : undefined;
  if (byName === undefined) {
    throw new TypeError(
      invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: 'span status', value: code, expected: `a SpanStatusCode or one of ${Object.keys(STATUS_NAMES).join(', ')}` }),
    );
  }
  return byName;
}

/** `internal`, `server`... for messages. */
export function kindName(kind: SpanKind): string {
  return (SpanKind[kind] ?? String(kind)).toLowerCase();
}

/** `unset`, `ok`, `error` for messages. */
export function statusName(code: SpanStatusCode): string {
  return (SpanStatusCode[code] ?? String(code)).toLowerCase();
}
