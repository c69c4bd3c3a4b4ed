import type { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * How many measurements the histogram `name` holds across all its series, as `reader`
 * collects it now. Benchmarks compare it with the calls they made, so that every figure is
 * known to include a real measurement per call.
 */
export async function histogramCount(reader: MetricReader, name: string): Promise<number> {
  const { resourceMetrics } = await reader.collect();
  let count = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints) count += (point.value as { count: number }).count;
    }
  }
  return count;
}
