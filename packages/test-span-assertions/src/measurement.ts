import type { Attributes } from '@opentelemetry/api';

/** Kinds of instrument a measurement or collected point comes from. */
export type InstrumentKind = 'counter' | 'up_down_counter' | 'histogram' | 'gauge';

/** One synchronous measurement seen the moment the instrument recorded it. */
export interface RecordedMeasurement {
  readonly name: string;
  readonly value: number;
  readonly attributes: Attributes;
  readonly instrument: InstrumentKind;
  readonly unit?: string;
  readonly meter: string;
}

/** One attribute set's aggregated value, from measurements or from a collection. */
export interface MetricPoint {
  readonly attributes: Attributes;
  /** Sum for counters, count for histograms, last value for gauges. */
  readonly value: number;
  /** Histograms: sum of recorded values. */
  readonly sum?: number;
  /** Histograms: number of recorded values. */
  readonly count?: number;
}

/** What `waitForMetric` compares: the metric's matching points and their combined value. */
export interface MetricSnapshot {
  readonly name: string;
  /** Points whose attributes satisfy `where`. */
  readonly points: readonly MetricPoint[];
  /**
   * The combined value of those points: counters add up, histograms count recordings,
   * gauges add up the last value of each attribute set.
   */
  readonly value: number;
  /** `measurements` when seen synchronously, `collection` when read through the metric reader. */
  readonly source: 'measurements' | 'collection' | 'none';
}
