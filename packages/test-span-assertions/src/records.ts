import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { RecordedEvent } from './event-pattern';
import type { RecordedMeasurement } from './measurement';

/** A recorded span with its bookkeeping. */
export interface SpanEntry {
  readonly span: ReadableSpan;
  /** Order in which spans started (a counter, not a timestamp); the buffer is in end order. */
  readonly startSeq: number;
  /** The test scope that caused the span, if it ran inside one. */
  readonly scope: string | undefined;
}

/** A span that has started but not ended. */
export interface LiveEntry {
  readonly span: ReadableSpan;
  readonly startSeq: number;
  readonly scope: string | undefined;
}

/** A recorded event with its bookkeeping. */
export interface EventEntry {
  readonly event: RecordedEvent;
  readonly seq: number;
  readonly scope: string | undefined;
}

/** A recorded metric measurement with its bookkeeping. */
export interface MeasurementEntry {
  readonly measurement: RecordedMeasurement;
  readonly seq: number;
  readonly scope: string | undefined;
}

/** Which scope a wait looks at: one test's scope, or everything (`undefined`). */
export type ScopeFilter = string | undefined;

/** Whether an entry is visible to a wait with this filter. */
export function visible(entry: { scope: string | undefined }, filter: ScopeFilter): boolean {
  return filter === undefined || entry.scope === filter;
}
