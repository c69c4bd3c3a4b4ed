import type { DiagLogLevel } from '@opentelemetry/api';
import type { SpanLimits } from '@opentelemetry/sdk-trace';
import { readSamplerEnv, type SamplerEnvSettings } from '@dyntel/sampler';
import type { ConfigProblem } from './diagnostics';
import { EnvReader, type Env } from './env-reader';
import { takesRatio, type OtelSamplerSettings } from './otel-sampler';
import {
  DYNTEL_AUTO_INSTRUMENTATIONS,
  DYNTEL_RUNTIME_METRICS,
  DYNTEL_DISABLED_INSTRUMENTATIONS,
  DYNTEL_LIVE_HOST,
  DYNTEL_LIVE_PORT,
  DYNTEL_ENABLED_INSTRUMENTATIONS,
  DYNTEL_SHUTDOWN_TIMEOUT,
  LEGACY_NAMES,
  OTEL_ATTRIBUTE_COUNT_LIMIT,
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT,
  OTEL_BLRP,
  OTEL_BSP,
  OTEL_EXPORTER_PROMETHEUS_HOST,
  OTEL_EXPORTER_PROMETHEUS_PORT,
  OTEL_EXPORTER_ZIPKIN_ENDPOINT,
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE,
  OTEL_LOG_LEVEL,
  OTEL_LOGRECORD_LIMITS,
  OTEL_LOGS_EXPORTER,
  OTEL_METRIC_EXPORT_INTERVAL,
  OTEL_METRIC_EXPORT_TIMEOUT,
  OTEL_METRICS_EXPORTER,
  OTEL_NODE_EXPERIMENTAL_SDK_METRICS,
  OTEL_NODE_RESOURCE_DETECTORS,
  OTEL_PROPAGATORS,
  OTEL_RESOURCE_ATTRIBUTES,
  OTEL_SDK_DISABLED,
  OTEL_SERVICE_NAME,
  OTEL_SPAN_LIMITS,
  OTEL_TRACES_EXPORTER,
  OTEL_TRACES_SAMPLER,
  OTEL_TRACES_SAMPLER_ARG,
  OTLP,
  OTLP_SIGNAL,
  type EnvVariable,
  type LogExporterName,
  type MetricExporterName,
  type OtlpCompression,
  type OtlpProtocol,
  type PropagatorName,
  type ResourceDetectorName,
  type Signal,
  type TemporalityPreference,
  type TraceExporterName,
} from './env-variables';

export type { Env } from './env-reader';

/** Where one signal goes over OTLP, and which variable decided it (named in diagnostics). */
export interface OtlpTarget {
  url: string;
  /** The variable the URL came from, or the general one when the default applies. */
  urlVariable: string;
  /** The value of that variable as the user wrote it (the default URL when unset). */
  urlValue: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  timeoutMillis: number;
  compression: OtlpCompression;
  /**
   * The certificate variables whose path was refused: the exporter reads the files itself, so
   * these are hidden from it, as if unset.
   */
  refusedFiles: string[];
}

/** Batch processor settings (OTEL_BSP_* for spans, OTEL_BLRP_* for log records). */
export interface BatchSettings {
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  maxQueueSize: number;
  /** Never larger than {@link maxQueueSize}. */
  maxExportBatchSize: number;
}

/** Everything @dyntel/register reads from the environment, validated. */
export interface DyntelConfig {
  /** OTEL_SDK_DISABLED=true: start nothing. */
  sdkDisabled: boolean;
  serviceName?: string;
  /** OTEL_LOG_LEVEL, INFO when unset. */
  logLevel: DiagLogLevel;
  traces: {
    exporters: TraceExporterName[];
    otlp?: OtlpTarget;
    zipkinUrl: string;
    batch: BatchSettings;
    /** OTEL_TRACES_SAMPLER(_ARG); not read when DYNTEL_SAMPLER_* choose the sampler. */
    sampler?: OtelSamplerSettings;
    /** OTEL_SPAN_*_LIMIT and OTEL_ATTRIBUTE_*_LIMIT, every limit given. */
    limits: Required<SpanLimits>;
  };
  metrics: {
    exporters: MetricExporterName[];
    otlp?: OtlpTarget;
    /** OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. */
    temporality: TemporalityPreference;
    prometheus: { host: string; port: number };
    /** OTEL_METRIC_EXPORT_INTERVAL, positive. */
    exportIntervalMillis: number;
    /** OTEL_METRIC_EXPORT_TIMEOUT, positive and never longer than the interval. */
    exportTimeoutMillis: number;
  };
  logs: { exporters: LogExporterName[]; otlp?: OtlpTarget; batch: BatchSettings };
  /** OTEL_PROPAGATORS, unknown names left out; empty for `none`. */
  propagators: PropagatorName[];
  /** OTEL_NODE_RESOURCE_DETECTORS, unknown names left out; empty for `none`. */
  resourceDetectors: ResourceDetectorName[];
  /** OTEL_NODE_EXPERIMENTAL_SDK_METRICS: the providers' own metrics. */
  sdkSelfMetrics: boolean;
  /** OTEL_LOGRECORD_*_LIMIT, else the general attribute limits; a limit left out keeps the SDK's default. */
  logRecordLimits: LogRecordLimits;
  instrumentations: {
    /** DYNTEL_ENABLED_INSTRUMENTATIONS: only these ids (all when unset). */
    enabled?: string[];
    /** DYNTEL_DISABLED_INSTRUMENTATIONS: never these ids. */
    disabled: string[];
    /** DYNTEL_AUTO_INSTRUMENTATIONS: add @opentelemetry/auto-instrumentations-node when installed. */
    auto: boolean;
    /** DYNTEL_RUNTIME_METRICS: the Node.js runtime's metrics, through @opentelemetry/instrumentation-runtime-node. */
    runtime: boolean;
  };
  /** DYNTEL_SHUTDOWN_TIMEOUT: how long the final flush may hold the process when it ends. */
  shutdownTimeoutMillis: number;
  /** DYNTEL_LIVE_PORT and DYNTEL_LIVE_HOST: where the live view is served; absent without a valid port. */
  live?: { host: string; port: number };
  /** DYNTEL_SAMPLER_*, parsed: what `samplerFromSettings` of @dyntel/sampler builds the sampler from. */
  sampler: SamplerEnvSettings;
}

/** Log record limits: positive integers, as the OpenTelemetry SDK's environment rules have them. */
export interface LogRecordLimits {
  attributeCountLimit?: number;
  attributeValueLengthLimit?: number;
}

/** The configuration and everything that was wrong with the environment it came from. */
export interface ConfigReading {
  config: DyntelConfig;
  problems: ConfigProblem[];
}

/**
 * Reads the OTEL_* and DYNTEL_* variables @dyntel/register understands, each parsed once by the
 * kind the variable table gives it. Never throws: every bad value becomes a {@link ConfigProblem}
 * and a safe fallback, so that a typo in a deployment can cost telemetry but never the application.
 */
export function readDyntelConfig(env: Env = process.env): ConfigReading {
  const reader = new EnvReader(env);
  const logLevel = reader.value(OTEL_LOG_LEVEL);
  // An unparsable general endpoint concerns every signal; read here so that it is always reported.
  reader.read(OTLP.endpoint);

  const traces = withOtlp(reader, 'traces', reader.value(OTEL_TRACES_EXPORTER));
  let zipkinUrl = OTEL_EXPORTER_ZIPKIN_ENDPOINT.fallback;
  if (traces.exporters.includes('zipkin')) {
    const zipkin = reader.read(OTEL_EXPORTER_ZIPKIN_ENDPOINT);
    if (zipkin.status === 'invalid') traces.exporters = traces.exporters.filter((e) => e !== 'zipkin');
    zipkinUrl = zipkin.value;
  }
  const metrics = withOtlp(reader, 'metrics', reader.value(OTEL_METRICS_EXPORTER));
  const logs = withOtlp(reader, 'logs', reader.value(OTEL_LOGS_EXPORTER));

  const sampler = readSamplerEnv(reader.raw);
  const config: DyntelConfig = {
    sdkDisabled: reader.value(OTEL_SDK_DISABLED),
    serviceName: reader.value(OTEL_SERVICE_NAME),
    logLevel,
    traces: {
      ...traces,
      zipkinUrl,
      batch: batchSettings(reader, OTEL_BSP),
      ...(sampler.status === 'unset' && { sampler: otelSamplerSettings(reader) }),
      limits: spanLimits(reader),
    },
    metrics: {
      ...metrics,
      temporality: reader.value(OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE),
      prometheus: { host: reader.value(OTEL_EXPORTER_PROMETHEUS_HOST), port: reader.value(OTEL_EXPORTER_PROMETHEUS_PORT) },
      ...metricExportTiming(reader),
    },
    logs: { ...logs, batch: batchSettings(reader, OTEL_BLRP) },
    instrumentations: { ...instrumentationLists(reader), auto: reader.value(DYNTEL_AUTO_INSTRUMENTATIONS), runtime: reader.value(DYNTEL_RUNTIME_METRICS) },
    shutdownTimeoutMillis: reader.value(DYNTEL_SHUTDOWN_TIMEOUT),
    ...liveView(reader),
    sampler,
    ...sdkVariables(reader),
  };
  if (config.sampler.status === 'invalid') reader.report(config.sampler.problem);
  return { config, problems: reader.problems };
}

/** The live view's address, read only when its port is set (the host alone turns nothing on). */
function liveView(reader: EnvReader): Pick<DyntelConfig, 'live'> {
  const port = reader.value(DYNTEL_LIVE_PORT);
  return port === undefined ? {} : { live: { host: reader.value(DYNTEL_LIVE_HOST), port } };
}

/**
 * DYNTEL_ENABLED_INSTRUMENTATIONS and DYNTEL_DISABLED_INSTRUMENTATIONS alone, for callers that
 * need nothing else from the environment. Reading a list never records a problem.
 */
export function readInstrumentationLists(env: Env = process.env): { enabled?: string[]; disabled: string[] } {
  return instrumentationLists(new EnvReader(env));
}

function instrumentationLists(reader: EnvReader): { enabled?: string[]; disabled: string[] } {
  return { enabled: reader.value(DYNTEL_ENABLED_INSTRUMENTATIONS), disabled: reader.value(DYNTEL_DISABLED_INSTRUMENTATIONS) };
}

/** A signal's exporters with its OTLP target; otlp is dropped when its endpoint is unusable. */
function withOtlp<T extends string>(reader: EnvReader, signal: Signal, exporters: T[]): { exporters: T[]; otlp?: OtlpTarget } {
  if (!exporters.includes('otlp' as T)) return { exporters };
  const otlp = otlpTarget(reader, signal);
  return otlp ? { exporters, otlp } : { exporters: exporters.filter((e) => e !== 'otlp') };
}

/** The signal's own variable when it holds a usable value, else the general one. */
function ownOrGeneral<T>(reader: EnvReader, own: EnvVariable<T, undefined>, general: EnvVariable<T>): T {
  const reading = reader.read(own);
  return reading.status === 'set' ? (reading.value as T) : reader.value(general);
}

/**
 * The OTLP destination of one signal, by the specification's precedence: the per-signal
 * endpoint as is, else the general endpoint plus `/v1/<signal>`, else the local default.
 */
function otlpTarget(reader: EnvReader, signal: Signal): OtlpTarget | undefined {
  const own = OTLP_SIGNAL[signal];
  const specific = reader.read(own.endpoint);
  if (specific.status === 'invalid') return undefined;
  let target: Pick<OtlpTarget, 'url' | 'urlVariable' | 'urlValue'>;
  if (specific.status === 'set') {
    target = { url: specific.value!, urlVariable: own.endpoint.name, urlValue: specific.value! };
  } else {
    const general = reader.read(OTLP.endpoint);
    if (general.status === 'invalid') return undefined;
    target = { url: `${general.value.replace(/\/+$/, '')}/v1/${signal}`, urlVariable: OTLP.endpoint.name, urlValue: general.value };
  }
  const files = [own.certificate, own.clientCertificate, own.clientKey, OTLP.certificate, OTLP.clientCertificate, OTLP.clientKey];
  return {
    ...target,
    protocol: ownOrGeneral(reader, own.protocol, OTLP.protocol),
    // W3C-baggage-style pairs; the per-signal variable wins key by key.
    headers: { ...reader.value(OTLP.headers), ...reader.value(own.headers) },
    timeoutMillis: ownOrGeneral(reader, own.timeoutMillis, OTLP.timeoutMillis),
    compression: ownOrGeneral(reader, own.compression, OTLP.compression),
    refusedFiles: files.filter((file) => reader.read(file).status === 'invalid').map((file) => file.name),
  };
}

/**
 * The variables of the providers themselves (propagation, resource, self-observability, log
 * record limits), and the older names of span limits, which are said and never read. The env
 * resource detector reads OTEL_RESOURCE_ATTRIBUTES itself, discarding the whole list for one bad
 * entry as the line says: it is only checked here.
 */
function sdkVariables(reader: EnvReader): Pick<DyntelConfig, 'propagators' | 'resourceDetectors' | 'sdkSelfMetrics' | 'logRecordLimits'> {
  const propagators = reader.value(OTEL_PROPAGATORS);
  const resourceDetectors = reader.value(OTEL_NODE_RESOURCE_DETECTORS);
  reader.read(OTEL_RESOURCE_ATTRIBUTES);
  const sdkSelfMetrics = reader.value(OTEL_NODE_EXPERIMENTAL_SDK_METRICS);
  for (const [legacy, current] of Object.entries(LEGACY_NAMES)) {
    const value = reader.raw(legacy);
    if (value !== undefined) reader.report({ variable: legacy, value, expected: `the current name, ${current}`, consequence: 'ignoring it' });
  }
  return { propagators, resourceDetectors, sdkSelfMetrics, logRecordLimits: logRecordLimits(reader) };
}

/**
 * Each log record limit from its own variable, else from the general one when that is above 0
 * (the SDK's rule: a log record limit of 0 is refused), else the SDK's default.
 */
function logRecordLimits(reader: EnvReader): LogRecordLimits {
  const limit = (own: EnvVariable<number, undefined>, general: EnvVariable<number>): number | undefined => {
    const reading = reader.read(own);
    if (reading.status === 'set') return reading.value;
    const fallback = reader.read(general);
    return fallback.status === 'set' && fallback.value > 0 ? fallback.value : undefined;
  };
  const limits: LogRecordLimits = {};
  const count = limit(OTEL_LOGRECORD_LIMITS.attributeCountLimit, OTEL_ATTRIBUTE_COUNT_LIMIT);
  const length = limit(OTEL_LOGRECORD_LIMITS.attributeValueLengthLimit, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT);
  if (count !== undefined) limits.attributeCountLimit = count;
  if (length !== undefined) limits.attributeValueLengthLimit = length;
  return limits;
}

/** Every span limit, the span variables winning over the general attribute ones. */
function spanLimits(reader: EnvReader): Required<SpanLimits> {
  return {
    attributeCountLimit: ownOrGeneral(reader, OTEL_SPAN_LIMITS.attributeCountLimit, OTEL_ATTRIBUTE_COUNT_LIMIT),
    attributeValueLengthLimit: ownOrGeneral(reader, OTEL_SPAN_LIMITS.attributeValueLengthLimit, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT),
    eventCountLimit: reader.value(OTEL_SPAN_LIMITS.eventCountLimit),
    linkCountLimit: reader.value(OTEL_SPAN_LIMITS.linkCountLimit),
    attributePerEventCountLimit: reader.value(OTEL_SPAN_LIMITS.attributePerEventCountLimit),
    attributePerLinkCountLimit: reader.value(OTEL_SPAN_LIMITS.attributePerLinkCountLimit),
  };
}

/**
 * OTEL_TRACES_SAMPLER, with OTEL_TRACES_SAMPLER_ARG when that sampler takes it. A bad argument
 * is said even when the sampler takes none: it is a mistake either way.
 */
function otelSamplerSettings(reader: EnvReader): OtelSamplerSettings {
  const name = reader.value(OTEL_TRACES_SAMPLER);
  if (takesRatio(name)) return { name, ratio: reader.value(OTEL_TRACES_SAMPLER_ARG) };
  const raw = reader.raw(OTEL_TRACES_SAMPLER_ARG.name);
  if (raw !== undefined && OTEL_TRACES_SAMPLER_ARG.kind.parse(raw) === undefined) {
    reader.report({ variable: OTEL_TRACES_SAMPLER_ARG.name, value: raw, expected: OTEL_TRACES_SAMPLER_ARG.kind.expected, consequence: `ignoring it (${name} takes no argument)` });
  }
  return { name };
}

/** Interval and timeout of periodic metric export; a timeout longer than the interval is lowered to it. */
function metricExportTiming(reader: EnvReader): { exportIntervalMillis: number; exportTimeoutMillis: number } {
  const exportIntervalMillis = reader.value(OTEL_METRIC_EXPORT_INTERVAL);
  const timeout = reader.read(OTEL_METRIC_EXPORT_TIMEOUT);
  if (timeout.value <= exportIntervalMillis) return { exportIntervalMillis, exportTimeoutMillis: timeout.value };
  if (timeout.status === 'set') {
    reader.report({
      variable: OTEL_METRIC_EXPORT_TIMEOUT.name,
      value: reader.raw(OTEL_METRIC_EXPORT_TIMEOUT.name),
      expected: `${OTEL_METRIC_EXPORT_TIMEOUT.kind.expected}, no longer than ${OTEL_METRIC_EXPORT_INTERVAL.name} (${exportIntervalMillis})`,
      consequence: `using ${exportIntervalMillis}`,
    });
  }
  return { exportIntervalMillis, exportTimeoutMillis: exportIntervalMillis };
}

/** A batch processor's settings; a batch larger than the queue is lowered to the queue size. */
function batchSettings(reader: EnvReader, variables: typeof OTEL_BSP): BatchSettings {
  const settings: BatchSettings = {
    scheduledDelayMillis: reader.value(variables.scheduledDelayMillis),
    exportTimeoutMillis: reader.value(variables.exportTimeoutMillis),
    maxQueueSize: reader.value(variables.maxQueueSize),
    maxExportBatchSize: reader.value(variables.maxExportBatchSize),
  };
  if (settings.maxExportBatchSize <= settings.maxQueueSize) return settings;
  const batch = variables.maxExportBatchSize;
  if (reader.read(batch).status === 'set') {
    reader.report({
      variable: batch.name,
      value: reader.raw(batch.name),
      expected: `${batch.kind.expected}, no larger than ${variables.maxQueueSize.name} (${settings.maxQueueSize})`,
      consequence: `using ${settings.maxQueueSize}`,
    });
  }
  return { ...settings, maxExportBatchSize: settings.maxQueueSize };
}
