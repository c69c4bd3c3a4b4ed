import type { MeterProvider } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { DyntelConfig, OtlpTarget } from './config';
import {
  OTEL_EXPORTER_PROMETHEUS_HOST,
  OTEL_EXPORTER_PROMETHEUS_PORT,
  OTEL_EXPORTER_ZIPKIN_ENDPOINT,
  OTEL_LOGS_EXPORTER,
  OTEL_METRICS_EXPORTER,
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE,
  OTEL_TRACES_EXPORTER,
  OTLP,
  OTLP_SIGNAL,
  type Signal,
  type TemporalityPreference,
} from './env-variables';
import { showValue } from '@dyntel/instrumentation-kit';
import { describeError, type Diagnostics } from './diagnostics';
import { isCutShort } from './export-cutoff';
import { withoutVariables } from './hidden-env';
import { core, exporterPackages, sdkLogs, sdkMetrics, sdkTrace } from './lazy';
import { createPrometheusUnitsExporter } from './prometheus-units';
import { redactUrl } from './redact';

/** The processors and readers of the providers, one per configured exporter. */
export interface Pipelines {
  spanProcessors: SpanProcessor[];
  metricReaders: IMetricReader[];
  logRecordProcessors: LogRecordProcessor[];
}

/** Which watched receivers are failing right now (already reported to the user). */
export class ExportHealth {
  private readonly failing = new Set<string>();

  /** Records a result; returns true when it changes the receiver's state. */
  record(url: string, ok: boolean): boolean {
    if (ok) return this.failing.delete(url);
    if (this.failing.has(url)) return false;
    this.failing.add(url);
    return true;
  }

  /** Whether some receiver is failing: a failed final flush then says nothing new. */
  anyFailing(): boolean {
    return this.failing.size > 0;
  }
}

/**
 * Builds every exporter the configuration names. Exporters that talk to a server are watched:
 * the first failed export after a success (or at start) becomes one diagnostic line naming the
 * variable and the URL, and the first success after that says the receiver is back. The batch
 * processors count what they process and drop in their own metrics on `selfObservation`. Each
 * exporter's package, and the SDK package of a signal, is loaded only when the signal uses it.
 */
export function createPipelines(config: DyntelConfig, diagnostics: Diagnostics, health = new ExportHealth(), selfObservation?: MeterProvider): Pipelines {
  const watch = <T extends object>(exporter: T, where: WatchedDestination) => watchExports(exporter, where, diagnostics, health);
  // One exporter that cannot be built costs that exporter only, not the SDK.
  const build = <T>(variable: string, name: string, create: () => T): T[] => {
    try {
      return [create()];
    } catch (error) {
      diagnostics.error(`the ${name} exporter of ${variable} could not be created (${describeError(error)}); it is skipped.`);
      return [];
    }
  };
  const periodic = { exportIntervalMillis: config.metrics.exportIntervalMillis, exportTimeoutMillis: config.metrics.exportTimeoutMillis };

  const spanProcessors = config.traces.exporters.flatMap((name): SpanProcessor[] =>
    build(OTEL_TRACES_EXPORTER.name, name, () => {
      const { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } = sdkTrace();
      if (name === 'console') return new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() });
      const exporter =
        name === 'zipkin'
          ? watch(new (exporterPackages.zipkin().ZipkinExporter)({ url: config.traces.zipkinUrl, serviceName: config.serviceName }), {
              variable: OTEL_EXPORTER_ZIPKIN_ENDPOINT.name,
              value: config.traces.zipkinUrl,
              url: config.traces.zipkinUrl,
              signal: 'traces',
              receiver: 'Zipkin',
            })
          : otlpExporter('traces', config.traces.otlp!, watch);
      return new BatchSpanProcessor({ exporter, ...config.traces.batch, selfObsMeterProvider: selfObservation });
    }),
  );

  const metricReaders = config.metrics.exporters.flatMap((name): IMetricReader[] =>
    build(OTEL_METRICS_EXPORTER.name, name, () => {
      if (name === 'prometheus') return prometheusReader(config.metrics.prometheus, diagnostics);
      const { ConsoleMetricExporter, PeriodicExportingMetricReader } = sdkMetrics();
      const exporter = name === 'console' ? new ConsoleMetricExporter() : otlpExporter('metrics', config.metrics.otlp!, watch, temporality(config.metrics.temporality));
      return new PeriodicExportingMetricReader({ exporter, ...periodic });
    }),
  );

  const logRecordProcessors = config.logs.exporters.flatMap((name): LogRecordProcessor[] =>
    build(OTEL_LOGS_EXPORTER.name, name, () => {
      const { BatchLogRecordProcessor, ConsoleLogRecordExporter, SimpleLogRecordProcessor } = sdkLogs();
      return name === 'console'
        ? new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() })
        : new BatchLogRecordProcessor({ exporter: otlpExporter('logs', config.logs.otlp!, watch), ...config.logs.batch, selfObsMeterProvider: selfObservation });
    }),
  );

  return { spanProcessors, metricReaders, logRecordProcessors };
}

/** The OTLP/HTTP exporter class of each signal and protocol, loaded when asked for. */
const OTLP_EXPORTERS = {
  traces: { 'http/protobuf': () => exporterPackages.traceOtlpProto().OTLPTraceExporter, 'http/json': () => exporterPackages.traceOtlpHttp().OTLPTraceExporter },
  metrics: { 'http/protobuf': () => exporterPackages.metricsOtlpProto().OTLPMetricExporter, 'http/json': () => exporterPackages.metricsOtlpHttp().OTLPMetricExporter },
  logs: { 'http/protobuf': () => exporterPackages.logsOtlpProto().OTLPLogExporter, 'http/json': () => exporterPackages.logsOtlpHttp().OTLPLogExporter },
} as const;

type OtlpExporter<S extends Signal> = InstanceType<ReturnType<(typeof OTLP_EXPORTERS)[S]['http/protobuf']>>;

// The exporters type compression as an enum whose values are exactly OTLP_COMPRESSIONS.
type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression']>;

type Watch = <T extends object>(exporter: T, where: WatchedDestination) => T;

const TEMPORALITY_KEYS = { cumulative: 'CUMULATIVE', delta: 'DELTA', lowmemory: 'LOWMEMORY' } as const satisfies Record<TemporalityPreference, string>;

/** The exporter's enum value for a preference read from the environment. */
function temporality(preference: TemporalityPreference): AggregationTemporalityPreference {
  return exporterPackages.metricsOtlpHttp().AggregationTemporalityPreference[TEMPORALITY_KEYS[preference]];
}

/**
 * The variables an OTLP exporter of `signal` would read on top of what it is given: hidden while
 * it is built. Its environment headers are merged under the ones passed (a dropped header would
 * come back), and a refused certificate path would be read anyway.
 */
function passedVariables(signal: Signal, target: OtlpTarget): string[] {
  const own = OTLP_SIGNAL[signal];
  const passed = [OTLP.endpoint, OTLP.headers, OTLP.timeoutMillis, OTLP.compression, own.endpoint, own.headers, own.timeoutMillis, own.compression].map((v) => v.name);
  if (signal === 'metrics') passed.push(OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE.name);
  return [...passed, ...target.refusedFiles];
}

function otlpExporter<S extends Signal>(
  signal: S,
  target: OtlpTarget,
  watch: Watch,
  temporalityPreference?: AggregationTemporalityPreference,
): OtlpExporter<S> {
  const Exporter = OTLP_EXPORTERS[signal][target.protocol]();
  // Everything is passed as read, so that the exporter does not parse the variables again.
  const options = { url: target.url, headers: target.headers, timeoutMillis: target.timeoutMillis, compression: target.compression as Compression, ...(temporalityPreference !== undefined && { temporalityPreference }) };
  const exporter = withoutVariables(passedVariables(signal, target), () => new Exporter(options));
  const watched = { variable: target.urlVariable, value: target.urlValue, url: target.url, signal, receiver: 'OTLP/HTTP' };
  return watch(exporter, watched) as OtlpExporter<S>;
}

interface WatchedDestination {
  variable: string;
  value: string;
  url: string;
  signal: Signal;
  receiver: string;
}

type ExportCallback = (result: ExportResult) => void;

/**
 * The same exporter, observed: its `export` results feed the reachability diagnostic. A Proxy
 * rather than a wrapper class keeps every other member (temporality selectors on metric
 * exporters, forceFlush, shutdown) exactly as the exporter defines it.
 */
function watchExports<T extends object>(exporter: T, where: WatchedDestination, diagnostics: Diagnostics, health: ExportHealth): T {
  // Shown with credentials redacted and, being the user's text, escaped and cut.
  const value = redactUrl(where.value);
  const url = showValue(redactUrl(where.url));
  const observe = (result: ExportResult) => {
    // An export the final flush cut short says nothing about the receiver; the cut has its own line.
    if (isCutShort(result.error)) return;
    const ok = result.code === core().ExportResultCode.SUCCESS;
    if (!health.record(where.url, ok)) return;
    if (ok) {
      diagnostics.info(`${where.variable}=${showValue(value)}: the ${where.receiver} receiver at ${url} accepts ${where.signal} again.`);
    } else {
      diagnostics.error({
        variable: where.variable,
        value,
        expected: `the URL of a reachable ${where.receiver} receiver (POST ${url} failed: ${describeError(result.error)})`,
        consequence: `${where.signal} are dropped until the receiver answers`,
      });
    }
  };
  return new Proxy(exporter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'export' && typeof value === 'function') {
        return (items: unknown, done: ExportCallback) =>
          value.call(target, items, (result: ExportResult) => {
            observe(result);
            done(result);
          });
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function prometheusReader({ host, port }: { host: string; port: number }, diagnostics: Diagnostics): IMetricReader {
  return createPrometheusUnitsExporter({ host, port }, (error) => {
    if (!error) {
      diagnostics.debug(`Prometheus metrics are served on ${OTEL_EXPORTER_PROMETHEUS_HOST.name}=${showValue(host)}, port ${port}, path /metrics`);
      return;
    }
    // A taken or forbidden port is the port's fault; an address that cannot be bound is the host's.
    const code = (error as { code?: string }).code;
    const portFault = code === 'EADDRINUSE' || code === 'EACCES';
    const accepted = portFault ? 'a free TCP port from 1 to 65535' : 'a local host name or IP address, e.g. 0.0.0.0 or 127.0.0.1';
    diagnostics.error({
      variable: portFault ? OTEL_EXPORTER_PROMETHEUS_PORT.name : OTEL_EXPORTER_PROMETHEUS_HOST.name,
      value: portFault ? String(port) : host,
      expected: `${accepted} (listening failed: ${describeError(error)})`,
      consequence: 'metrics are not served for Prometheus',
    });
  });
}
