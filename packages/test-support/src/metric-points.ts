import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** A metric data point, flattened. */
export interface Point {
  name: string;
  attributes: Attributes;
  /** Sum of a counter, value of a gauge or up-down counter, count of a histogram. */
  value: number;
  /** Histogram data, when the point is a histogram's. */
  sum?: number;
  boundaries?: number[];
}

/** Every data point of collected metrics (only those of the metric `name` when given), flattened. */
export function flattenPoints(resourceMetrics: ResourceMetrics, name?: string): Point[] {
  const points: Point[] = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (name !== undefined && metric.descriptor.name !== name) continue;
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const { attributes, value } of metric.dataPoints) {
          points.push({ name: metric.descriptor.name, attributes, value: value.count, sum: value.sum, boundaries: value.buckets.boundaries });
        }
      } else if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
        for (const { attributes, value } of metric.dataPoints) points.push({ name: metric.descriptor.name, attributes, value: value.count, sum: value.sum });
      } else {
        for (const { attributes, value } of metric.dataPoints) points.push({ name: metric.descriptor.name, attributes, value });
      }
    }
  }
  return points;
}

/** Collects a reader's metrics now (the recorder's `metricReader`) and flattens their data points. */
export async function collectPoints(reader: MetricReader, name?: string): Promise<Point[]> {
  const { resourceMetrics } = await reader.collect();
  return flattenPoints(resourceMetrics, name);
}
