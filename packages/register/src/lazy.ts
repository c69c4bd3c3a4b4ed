import { createRequire } from 'node:module';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Core from '@opentelemetry/core';
import type * as LogsOtlpHttp from '@opentelemetry/exporter-logs-otlp-http';
import type * as LogsOtlpProto from '@opentelemetry/exporter-logs-otlp-proto';
import type * as MetricsOtlpHttp from '@opentelemetry/exporter-metrics-otlp-http';
import type * as MetricsOtlpProto from '@opentelemetry/exporter-metrics-otlp-proto';
import type * as Prometheus from '@opentelemetry/exporter-prometheus';
import type * as TraceOtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as TraceOtlpProto from '@opentelemetry/exporter-trace-otlp-proto';
import type * as Zipkin from '@opentelemetry/exporter-zipkin';
import type * as PropagatorB3 from '@opentelemetry/propagator-b3';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkLogs from '@opentelemetry/sdk-logs';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import type * as SdkTrace from '@opentelemetry/sdk-trace';

// Resolved from this package's location. `import.meta.url` exists in the ESM build and is shimmed
// in the CommonJS one, so both load the same CommonJS copy of each package.
const load = createRequire(import.meta.url);

/**
 * A package loaded on first call, not when this package loads: start-up then pays only for the
 * exporters, propagators and SDK parts the configuration uses.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(id) as T);
}

/** @opentelemetry/core: W3C propagators, export results. */
export const core = lazyModule<typeof Core>('@opentelemetry/core');
/** @opentelemetry/context-async-hooks: the context manager. */
export const contextAsyncHooks = lazyModule<typeof ContextAsyncHooks>('@opentelemetry/context-async-hooks');
/** @opentelemetry/propagator-b3, for OTEL_PROPAGATORS=b3 or b3multi. */
export const propagatorB3 = lazyModule<typeof PropagatorB3>('@opentelemetry/propagator-b3');
/** @opentelemetry/resources, once some signal is exported. */
export const resources = lazyModule<typeof Resources>('@opentelemetry/resources');
/** @opentelemetry/sdk-trace, once traces are exported. */
export const sdkTrace = lazyModule<typeof SdkTrace>('@opentelemetry/sdk-trace');
/** @opentelemetry/sdk-metrics, once metrics are exported. */
export const sdkMetrics = lazyModule<typeof SdkMetrics>('@opentelemetry/sdk-metrics');
/** @opentelemetry/sdk-logs, once log records are exported. */
export const sdkLogs = lazyModule<typeof SdkLogs>('@opentelemetry/sdk-logs');
/** The exporters, each loaded when a signal names it. */
export const exporterPackages = {
  traceOtlpProto: lazyModule<typeof TraceOtlpProto>('@opentelemetry/exporter-trace-otlp-proto'),
  traceOtlpHttp: lazyModule<typeof TraceOtlpHttp>('@opentelemetry/exporter-trace-otlp-http'),
  metricsOtlpProto: lazyModule<typeof MetricsOtlpProto>('@opentelemetry/exporter-metrics-otlp-proto'),
  metricsOtlpHttp: lazyModule<typeof MetricsOtlpHttp>('@opentelemetry/exporter-metrics-otlp-http'),
  logsOtlpProto: lazyModule<typeof LogsOtlpProto>('@opentelemetry/exporter-logs-otlp-proto'),
  logsOtlpHttp: lazyModule<typeof LogsOtlpHttp>('@opentelemetry/exporter-logs-otlp-http'),
  zipkin: lazyModule<typeof Zipkin>('@opentelemetry/exporter-zipkin'),
  prometheus: lazyModule<typeof Prometheus>('@opentelemetry/exporter-prometheus'),
};
