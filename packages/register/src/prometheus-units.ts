import type { ExporterConfig, PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { CollectionResult, DataPointType, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { exporterPackages, sdkMetrics } from './lazy';

// UCUM units and the words the OpenTelemetry Prometheus compatibility specification writes
// for them in metric names.
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};
const PER_WORDS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/**
 * The Prometheus unit suffix of an OpenTelemetry unit (`s` → `seconds`, `By/s` →
 * `bytes_per_second`, `1` on a gauge → `ratio`), or '' when it has none: annotations in
 * braces (`{state_change}`) are not units.
 */
export function prometheusUnitSuffix(unit: string, dataPointType: DataPointType): string {
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '') return '';
  if (bare === '1') return dataPointType === sdkMetrics().DataPointType.GAUGE ? 'ratio' : '';
  const [numerator = '', denominator] = bare.split('/', 2);
  const words = [UNIT_WORDS[numerator] ?? numerator];
  if (denominator) words.push('per', PER_WORDS[denominator] ?? denominator);
  return words.filter((w) => w !== '').join('_').replace(/[^a-zA-Z0-9_]/g, '_');
}

/** A metric's name with its unit suffix, unless the name already ends with it. */
export function withUnitSuffix(metric: MetricData): MetricData {
  const suffix = prometheusUnitSuffix(metric.descriptor.unit, metric.dataPointType);
  const name = metric.descriptor.name;
  if (suffix === '' || name.endsWith(`_${suffix}`) || name.endsWith(`.${suffix}`)) return metric;
  return { ...metric, descriptor: { ...metric.descriptor, name: `${name}_${suffix}` } };
}

function renamed(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({ ...scope, metrics: scope.metrics.map(withUnitSuffix) })),
  };
}

let unitsExporter: (new (config: ExporterConfig, callback: (error: Error | void) => void) => PrometheusExporter) | undefined;

/**
 * The upstream Prometheus exporter, plus the unit suffixes the OpenTelemetry specification
 * asks for and the JavaScript exporter does not add yet: `resilience.circuit_breaker.call.duration`
 * (unit `s`) is scraped as `resilience_circuit_breaker_call_duration_seconds`, as it is from
 * the Collector and the other SDKs. Only the Prometheus view is renamed; OTLP keeps the
 * OpenTelemetry names. The class is made on first use, so that the exporter's package is loaded
 * only when Prometheus is configured.
 */
export function createPrometheusUnitsExporter(config: ExporterConfig, callback: (error: Error | void) => void): PrometheusExporter {
  unitsExporter ??= class PrometheusUnitsExporter extends exporterPackages.prometheus().PrometheusExporter {
    override async collect(options?: Parameters<PrometheusExporter['collect']>[0]): Promise<CollectionResult> {
      const result = await super.collect(options);
      return { ...result, resourceMetrics: renamed(result.resourceMetrics) };
    }

    /** A collection with the OpenTelemetry names, for in-process readers of the contract's names (the live view). */
    collectOpenTelemetryNames(options?: Parameters<PrometheusExporter['collect']>[0]): Promise<CollectionResult> {
      return super.collect(options);
    }
  };
  return new unitsExporter(config, callback);
}
