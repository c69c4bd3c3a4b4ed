import { DataPointType, type CollectionResult } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import type { MetricPoint, MetricSnapshot } from './measurement';
import { visible, type MeasurementEntry, type ScopeFilter } from './records';
import { checkRecord, Checks } from './pattern';
import type { RecordMatcher } from './values';

function attributeKey(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function whereMatches(where: RecordMatcher | undefined, attributes: Attributes): boolean {
  return where === undefined || checkRecord(new Checks(false), 'attributes', where, attributes);
}

/** A metric read: the snapshot a wait compares, and the points `where` left out (for explanations). */
export interface MetricRead {
  snapshot: MetricSnapshot;
  unmatched: MetricPoint[];
  /** Collected points left out because they aggregate measurements of every test scope. */
  unscoped: number;
}

function splitByWhere(name: string, all: readonly MetricPoint[], where: RecordMatcher | undefined, source: MetricSnapshot['source']): MetricRead {
  const points: MetricPoint[] = [];
  const unmatched: MetricPoint[] = [];
  for (const p of all) (whereMatches(where, p.attributes) ? points : unmatched).push(p);
  return { snapshot: { name, points, value: points.reduce((s, p) => s + p.value, 0), source }, unmatched, unscoped: 0 };
}

/** Aggregates synchronous measurements of one metric into points, one per attribute set. */
export function snapshotFromMeasurements(
  name: string,
  entries: Iterable<MeasurementEntry>,
  scope: ScopeFilter,
  where: RecordMatcher | undefined,
): MetricRead {
  const byAttributes = new Map<string, { attributes: Attributes; value: number; sum: number; count: number; kind: string }>();
  let seen = false;
  for (const entry of entries) {
    const m = entry.measurement;
    if (m.name !== name || !visible(entry, scope)) continue;
    seen = true;
    const key = attributeKey(m.attributes);
    const point = byAttributes.get(key) ?? { attributes: m.attributes, value: 0, sum: 0, count: 0, kind: m.instrument };
    point.count += 1;
    point.sum += m.value;
    point.value = m.instrument === 'gauge' ? m.value : m.instrument === 'histogram' ? point.count : point.sum;
    byAttributes.set(key, point);
  }
  const all: MetricPoint[] = [...byAttributes.values()].map((p) =>
    p.kind === 'histogram' ? { attributes: p.attributes, value: p.value, sum: p.sum, count: p.count } : { attributes: p.attributes, value: p.value },
  );
  return splitByWhere(name, all, where, seen ? 'measurements' : 'none');
}

/**
 * Reads one metric out of a metric reader's collection. With `counts`, only the metrics of the
 * meters it accepts are read; the others' points are counted as `unscoped`.
 */
export function snapshotFromCollection(
  name: string,
  collection: CollectionResult,
  where: RecordMatcher | undefined,
  counts?: (meter: string) => boolean,
): MetricRead {
  const all: MetricPoint[] = [];
  let seen = false;
  let unscoped = 0;
  for (const scopeMetrics of collection.resourceMetrics.scopeMetrics) {
    for (const metric of scopeMetrics.metrics) {
      if (metric.descriptor.name !== name) continue;
      if (counts && !counts(scopeMetrics.scope.name)) {
        unscoped += metric.dataPoints.length;
        continue;
      }
      seen = true;
      for (const dp of metric.dataPoints) {
        if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
          all.push({ attributes: dp.attributes, value: dp.value as number });
        } else {
          const h = dp.value as { count: number; sum?: number };
          all.push({ attributes: dp.attributes, value: h.count, count: h.count, sum: h.sum });
        }
      }
    }
  }
  return { ...splitByWhere(name, all, where, seen ? 'collection' : 'none'), unscoped };
}

/** Names of every metric in a collection, for "did you mean" explanations. */
export function metricNamesIn(collection: CollectionResult | undefined): string[] {
  if (!collection) return [];
  return collection.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
}
