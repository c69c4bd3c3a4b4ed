import type * as ContextAsyncHooks from './bundled/context-async-hooks';
import type * as Core from './bundled/core';
import type * as LogsOtlpHttp from './bundled/exporter-logs-otlp-http';
import type * as LogsOtlpProto from './bundled/exporter-logs-otlp-proto';
import type * as MetricsOtlpHttp from './bundled/exporter-metrics-otlp-http';
import type * as MetricsOtlpProto from './bundled/exporter-metrics-otlp-proto';
import type * as Prometheus from './bundled/exporter-prometheus';
import type * as TraceOtlpHttp from './bundled/exporter-trace-otlp-http';
import type * as TraceOtlpProto from './bundled/exporter-trace-otlp-proto';
import type * as Zipkin from './bundled/exporter-zipkin';
import type * as PropagatorB3 from './bundled/propagator-b3';
import type * as Resources from './bundled/resources';
import type * as SdkLogs from './bundled/sdk-logs';
import type * as SdkMetrics from './bundled/sdk-metrics';
import type * as SdkTrace from './bundled/sdk-trace';
import type * as ApiLogs from '@opentelemetry/api-logs';
import type * as ChildProcess from 'node:child_process';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Zlib from 'node:zlib';
import type * as RuntimeNode from './bundled/instrumentation-runtime-node';

// The build bundles the SDK packages (not @opentelemetry/api, api-logs and instrumentation, whose
// globals and instances the application or the dyntel packages share) into this package's
// CommonJS entry: the bundler follows only require() calls with a literal name, and one inside a
// function is evaluated on its first call, so each package still loads only when it is used.
// sdk-trace is bundled too: loaded from node_modules it brings some forty files, and a second
// copy of @opentelemetry/resources; the dyntel sampler's fallback sampler loads its own copy.
/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * A package loaded on first call, not when this package loads: start-up then pays only for the
 * exporters, propagators and SDK parts the configuration uses.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/** node:http, for the exports we send or cut ourselves (the application may never load it). */
export const nodeHttp = lazyModule(() => require('node:http') as typeof Http);
/** node:https, only for an https receiver: it loads TLS and crypto. */
export const nodeHttps = lazyModule(() => require('node:https') as typeof Https);
/** node:zlib, for gzip-compressed OTLP exports (see src/bundled/zlib.ts). */
export const nodeZlib = lazyModule(() => require('node:zlib') as typeof Zlib);
/** node:child_process, for the host id on systems without a machine-id file. */
export const childProcess = lazyModule(() => require('node:child_process') as typeof ChildProcess);
/** @opentelemetry/core: W3C propagators, export results. */
export const core = lazyModule(() => require('@opentelemetry/core') as typeof Core);
/** @opentelemetry/context-async-hooks: the context manager. */
export const contextAsyncHooks = lazyModule(() => require('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks);
/** @opentelemetry/propagator-b3, for OTEL_PROPAGATORS=b3 or b3multi. */
export const propagatorB3 = lazyModule(() => require('@opentelemetry/propagator-b3') as typeof PropagatorB3);
/** @opentelemetry/resources, once some signal is exported. */
export const resources = lazyModule(() => require('@opentelemetry/resources') as typeof Resources);
/** @opentelemetry/sdk-trace, once traces are exported. */
export const sdkTrace = lazyModule(() => require('@opentelemetry/sdk-trace') as typeof SdkTrace);
/** @opentelemetry/sdk-metrics, once metrics are exported. */
export const sdkMetrics = lazyModule(() => require('@opentelemetry/sdk-metrics') as typeof SdkMetrics);
/** @opentelemetry/sdk-logs, once log records are exported. */
export const sdkLogs = lazyModule(() => require('@opentelemetry/sdk-logs') as typeof SdkLogs);
/** @opentelemetry/api-logs, once log records are exported. */
export const apiLogs = lazyModule(() => require('@opentelemetry/api-logs') as typeof ApiLogs);
/** @opentelemetry/instrumentation-runtime-node, once metrics are exported. */
export const runtimeNode = lazyModule(() => require('@opentelemetry/instrumentation-runtime-node') as typeof RuntimeNode);
/** The exporters, each loaded when a signal names it. */
export const exporterPackages = {
  traceOtlpProto: lazyModule(() => require('@opentelemetry/exporter-trace-otlp-proto') as typeof TraceOtlpProto),
  traceOtlpHttp: lazyModule(() => require('@opentelemetry/exporter-trace-otlp-http') as typeof TraceOtlpHttp),
  metricsOtlpProto: lazyModule(() => require('@opentelemetry/exporter-metrics-otlp-proto') as typeof MetricsOtlpProto),
  metricsOtlpHttp: lazyModule(() => require('@opentelemetry/exporter-metrics-otlp-http') as typeof MetricsOtlpHttp),
  logsOtlpProto: lazyModule(() => require('@opentelemetry/exporter-logs-otlp-proto') as typeof LogsOtlpProto),
  logsOtlpHttp: lazyModule(() => require('@opentelemetry/exporter-logs-otlp-http') as typeof LogsOtlpHttp),
  zipkin: lazyModule(() => require('@opentelemetry/exporter-zipkin') as typeof Zipkin),
  prometheus: lazyModule(() => require('@opentelemetry/exporter-prometheus') as typeof Prometheus),
};
