import type { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * Totals of the named instruments as `reader` collects them now, across all their series: a
 * histogram's measurement count, a counter's sum. Benchmarks compare them with the work done,
 * so that every figure is known to include each record and add it should.
 */
export async function metricTotals(reader: MetricReader, names: readonly string[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>(names.map((name) => [name, 0]));
  const { resourceMetrics } = await reader.collect();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const total = totals.get(metric.descriptor.name);
      if (total === undefined) continue;
      let added = 0;
      for (const point of metric.dataPoints) added += typeof point.value === 'number' ? point.value : (point.value as { count: number }).count;
      totals.set(metric.descriptor.name, total + added);
    }
  }
  return totals;
}
