// The shape of one collection as the OpenTelemetry SDK's MetricReader.collect() returns it
// (`ResourceMetrics`), written structurally: this package reads what any reader hands it and
// needs no SDK package of its own.

/** The attributes of one data point. */
export type PointAttributes = Readonly<Record<string, unknown>>;

/** A histogram data point's value: explicit buckets, as the SDK's default aggregation makes them. */
export interface HistogramValue {
  readonly count: number;
  readonly sum?: number;
  readonly buckets: { readonly boundaries: readonly number[]; readonly counts: readonly number[] };
}

/** One data point: a number (sums, gauges) or a histogram. */
export interface MetricPoint {
  readonly attributes: PointAttributes;
  readonly value: number | HistogramValue | object;
}

/** One metric of a collection. */
export interface CollectedMetric {
  readonly descriptor: { readonly name: string; readonly unit?: string };
  readonly dataPoints: readonly MetricPoint[];
}

/** What a collection returns: every scope's metrics. */
export interface MetricsBatch {
  readonly scopeMetrics: ReadonlyArray<{ readonly metrics: readonly CollectedMetric[] }>;
}

/** The metrics of a collection by name; a name several scopes report keeps every scope's points. */
export function metricsByName(batch: MetricsBatch): Map<string, MetricPoint[]> {
  const byName = new Map<string, MetricPoint[]>();
  for (const scope of batch.scopeMetrics) {
    for (const metric of scope.metrics) {
      const points = byName.get(metric.descriptor.name);
      if (points) points.push(...metric.dataPoints);
      else byName.set(metric.descriptor.name, [...metric.dataPoints]);
    }
  }
  return byName;
}

/** Whether a point's value is an explicit-bucket histogram. */
export function isHistogram(value: MetricPoint['value']): value is HistogramValue {
  return typeof value === 'object' && value !== null && 'buckets' in value && 'count' in value;
}

/** A point's value as a number, or undefined for a histogram or anything else. */
export function numberValue(point: MetricPoint): number | undefined {
  return typeof point.value === 'number' && Number.isFinite(point.value) ? point.value : undefined;
}

/** An attribute as a string, or undefined when it is absent or not a string. */
export function stringAttribute(point: MetricPoint, key: string): string | undefined {
  const value = point.attributes[key];
  return typeof value === 'string' ? value : undefined;
}
