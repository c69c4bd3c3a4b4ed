import { DiagLogLevel } from '@opentelemetry/api';
import {
  boolean,
  count,
  durationMillis,
  headers,
  httpUrl,
  knownNames,
  limit,
  logLevel,
  nameList,
  oneOf,
  oneOfAnyCase,
  port,
  positiveDurationMillis,
  positiveInteger,
  probability,
  readableFile,
  resourceAttributes,
  resourceAttributesProblem,
  text,
  type ValueKind,
} from './env-kinds';

/** One environment variable: its kind, the value used when it is unset or invalid, and what a bad value leads to. */
export interface EnvVariable<T, F extends T | undefined = T> {
  readonly name: string;
  readonly kind: ValueKind<T>;
  /** The value when the variable is unset or invalid. */
  readonly fallback: F;
  /** What an invalid value leads to; `using <fallback>` (or `ignoring it`) by default. */
  readonly whenInvalid?: (raw: string) => string;
  /** Said after `ignoring <parts>` when a list keeps only some of its parts. */
  readonly whenIgnored?: (kept: T) => string;
}

function variable<T>(name: string, kind: ValueKind<T>, fallback: NoInfer<T>, consequences: Consequences<T> = {}): EnvVariable<T> {
  return { name, kind, fallback, ...consequences };
}

/** A variable without a fallback: unset or invalid, it reads as undefined. */
function optional<T>(name: string, kind: ValueKind<T>, consequences: Consequences<T> = {}): EnvVariable<T, undefined> {
  return { name, kind, fallback: undefined, ...consequences };
}

type Consequences<T> = Pick<EnvVariable<T>, 'whenInvalid' | 'whenIgnored'>;

/** For a specific variable that falls back to a general one when invalid. */
function usingGeneral(general: { name: string }): Pick<EnvVariable<unknown>, 'whenInvalid'> {
  return { whenInvalid: () => `using ${general.name}` };
}

/** The signals @dyntel/register exports. */
export type Signal = 'traces' | 'metrics' | 'logs';
/** Exporters accepted in OTEL_TRACES_EXPORTER. */
export const TRACE_EXPORTERS = ['otlp', 'zipkin', 'console', 'none'] as const;
/** Exporters accepted in OTEL_METRICS_EXPORTER. */
export const METRIC_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;
/** Exporters accepted in OTEL_LOGS_EXPORTER. */
export const LOG_EXPORTERS = ['otlp', 'console', 'none'] as const;
/** OTLP transports accepted in OTEL_EXPORTER_OTLP_PROTOCOL and its per-signal variants. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
/** Compressions accepted in OTEL_EXPORTER_OTLP_COMPRESSION and its per-signal variants. */
export const OTLP_COMPRESSIONS = ['gzip', 'none'] as const;
/** Temporalities accepted in OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. */
export const TEMPORALITY_PREFERENCES = ['cumulative', 'delta', 'lowmemory'] as const;
/** The propagators of OTEL_PROPAGATORS, as the OpenTelemetry NodeSDK knows them. */
export const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'] as const;
/** The resource detectors of OTEL_NODE_RESOURCE_DETECTORS, as the OpenTelemetry NodeSDK knows them. */
export const RESOURCE_DETECTORS = ['all', 'env', 'host', 'os', 'process', 'serviceinstance', 'none'] as const;

export type TraceExporterName = Exclude<(typeof TRACE_EXPORTERS)[number], 'none'>;
export type MetricExporterName = Exclude<(typeof METRIC_EXPORTERS)[number], 'none'>;
export type LogExporterName = Exclude<(typeof LOG_EXPORTERS)[number], 'none'>;
export type PropagatorName = Exclude<(typeof PROPAGATORS)[number], 'none'>;
export type ResourceDetectorName = Exclude<(typeof RESOURCE_DETECTORS)[number], 'none'>;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export type OtlpCompression = (typeof OTLP_COMPRESSIONS)[number];
export type TemporalityPreference = (typeof TEMPORALITY_PREFERENCES)[number];

/** Where a signal's data goes once some exporter names were ignored. */
function destination(signal: Signal, kept: readonly string[]): string {
  return kept.length > 0 ? `${signal} still go to ${kept.join(', ')}` : `${signal} are not exported`;
}

export const OTEL_SDK_DISABLED = variable('OTEL_SDK_DISABLED', boolean, false);
export const OTEL_SERVICE_NAME = optional('OTEL_SERVICE_NAME', text);
export const OTEL_LOG_LEVEL = variable('OTEL_LOG_LEVEL', logLevel, DiagLogLevel.INFO);

export const OTEL_TRACES_EXPORTER = variable('OTEL_TRACES_EXPORTER', knownNames(TRACE_EXPORTERS), ['otlp'], {
  whenIgnored: (kept) => `${destination('traces', kept)} (Jaeger and Tempo accept OTLP: use otlp)`,
});
export const OTEL_METRICS_EXPORTER = variable('OTEL_METRICS_EXPORTER', knownNames(METRIC_EXPORTERS), ['otlp'], {
  whenIgnored: (kept) => destination('metrics', kept),
});
export const OTEL_LOGS_EXPORTER = variable('OTEL_LOGS_EXPORTER', knownNames(LOG_EXPORTERS), ['otlp'], {
  whenIgnored: (kept) => destination('logs', kept),
});

const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const GRPC_HINT = " (point the endpoint at the collector's HTTP port, usually 4318)";

/** The general OTLP settings; each signal's own variable wins over them. */
export const OTLP = {
  endpoint: variable('OTEL_EXPORTER_OTLP_ENDPOINT', httpUrl(DEFAULT_OTLP_ENDPOINT), DEFAULT_OTLP_ENDPOINT, {
    whenInvalid: () => 'OTLP export of every signal is disabled',
  }),
  protocol: variable('OTEL_EXPORTER_OTLP_PROTOCOL', oneOf(OTLP_PROTOCOLS), 'http/protobuf', {
    whenInvalid: (raw) => `using http/protobuf${raw === 'grpc' ? GRPC_HINT : ''}`,
  }),
  headers: variable('OTEL_EXPORTER_OTLP_HEADERS', headers, {}, { whenIgnored: () => 'the other headers are sent' }),
  timeoutMillis: variable('OTEL_EXPORTER_OTLP_TIMEOUT', positiveDurationMillis, 10_000),
  compression: variable('OTEL_EXPORTER_OTLP_COMPRESSION', oneOf(OTLP_COMPRESSIONS), 'none'),
  ...certificates('OTEL_EXPORTER_OTLP', {
    certificate: { whenInvalid: () => "using the system's trusted root certificates" },
    clientCertificate: { whenInvalid: () => 'no client certificate is sent' },
    clientKey: { whenInvalid: () => 'no client certificate is sent' },
  }),
} as const;

type CertificateConsequences = Record<'certificate' | 'clientCertificate' | 'clientKey', Pick<EnvVariable<unknown>, 'whenInvalid'>>;

/**
 * The TLS files of the OTLP exporters. The exporters read the files themselves; the paths are
 * checked here, and a path that fails the check is hidden from them (see exporters.ts).
 */
function certificates(prefix: string, consequences: CertificateConsequences) {
  return {
    certificate: optional(`${prefix}_CERTIFICATE`, readableFile, consequences.certificate),
    clientCertificate: optional(`${prefix}_CLIENT_CERTIFICATE`, readableFile, consequences.clientCertificate),
    clientKey: optional(`${prefix}_CLIENT_KEY`, readableFile, consequences.clientKey),
  } as const;
}

function otlpSignal(signal: Signal) {
  const upper = signal.toUpperCase();
  return {
    endpoint: optional(`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`, httpUrl(`${DEFAULT_OTLP_ENDPOINT}/v1/${signal}`), {
      whenInvalid: () => `OTLP export of ${signal} is disabled`,
    }),
    protocol: optional(`OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`, oneOf(OTLP_PROTOCOLS), {
      whenInvalid: (raw) => `using ${OTLP.protocol.name}${raw === 'grpc' ? GRPC_HINT : ''}`,
    }),
    headers: variable(`OTEL_EXPORTER_OTLP_${upper}_HEADERS`, headers, {}, { whenIgnored: () => 'the other headers are sent' }),
    timeoutMillis: optional(`OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, positiveDurationMillis, usingGeneral(OTLP.timeoutMillis)),
    compression: optional(`OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`, oneOf(OTLP_COMPRESSIONS), usingGeneral(OTLP.compression)),
    ...certificates(`OTEL_EXPORTER_OTLP_${upper}`, {
      certificate: usingGeneral(OTLP.certificate),
      clientCertificate: usingGeneral(OTLP.clientCertificate),
      clientKey: usingGeneral(OTLP.clientKey),
    }),
  } as const;
}

/** Each signal's own OTLP settings, used as they are. */
export const OTLP_SIGNAL = { traces: otlpSignal('traces'), metrics: otlpSignal('metrics'), logs: otlpSignal('logs') } as const;

export const OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE = variable(
  'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE',
  oneOfAnyCase(TEMPORALITY_PREFERENCES),
  'cumulative',
);

const DEFAULT_ZIPKIN_URL = 'http://localhost:9411/api/v2/spans';
export const OTEL_EXPORTER_ZIPKIN_ENDPOINT = variable('OTEL_EXPORTER_ZIPKIN_ENDPOINT', httpUrl(DEFAULT_ZIPKIN_URL), DEFAULT_ZIPKIN_URL, {
  whenInvalid: () => 'Zipkin export is disabled',
});
export const OTEL_EXPORTER_PROMETHEUS_HOST = variable('OTEL_EXPORTER_PROMETHEUS_HOST', text, 'localhost');
export const OTEL_EXPORTER_PROMETHEUS_PORT = variable('OTEL_EXPORTER_PROMETHEUS_PORT', port, 9464);
/** The live view's port (@dyntel/live-view): unset, there is no live view and none of its code is loaded. */
export const DYNTEL_LIVE_PORT = optional('DYNTEL_LIVE_PORT', port, { whenInvalid: () => 'the live view is not served' });
/** The live view's address; `localhost` keeps it to this machine, as for the Prometheus endpoint. */
export const DYNTEL_LIVE_HOST = variable('DYNTEL_LIVE_HOST', text, 'localhost');
export const OTEL_METRIC_EXPORT_INTERVAL = variable('OTEL_METRIC_EXPORT_INTERVAL', positiveDurationMillis, 60_000);
export const OTEL_METRIC_EXPORT_TIMEOUT = variable('OTEL_METRIC_EXPORT_TIMEOUT', positiveDurationMillis, 30_000);

/**
 * The largest batch queue: the queue holds ended spans or log records in memory while the
 * receiver is slow or down, so its size is the memory telemetry may hold; beyond this it is a
 * leak waiting for an outage rather than a buffer.
 */
export const MAX_QUEUE_SIZE = 100_000;
/**
 * The largest export batch: each batch is one request, and a Collector refuses OTLP/HTTP bodies
 * above 20 MiB by default, which a batch of this many ordinary spans stays under.
 */
export const MAX_EXPORT_BATCH_SIZE = 10_000;

/** The batch processor variables of one prefix, with the specification's defaults. */
function batch(prefix: 'OTEL_BSP' | 'OTEL_BLRP', scheduleDelay: number) {
  return {
    scheduledDelayMillis: variable(`${prefix}_SCHEDULE_DELAY`, durationMillis, scheduleDelay),
    exportTimeoutMillis: variable(`${prefix}_EXPORT_TIMEOUT`, durationMillis, 30_000),
    maxQueueSize: variable(`${prefix}_MAX_QUEUE_SIZE`, count(MAX_QUEUE_SIZE), 2048),
    maxExportBatchSize: variable(`${prefix}_MAX_EXPORT_BATCH_SIZE`, count(MAX_EXPORT_BATCH_SIZE), 512),
  } as const;
}

/** Span batching. */
export const OTEL_BSP = batch('OTEL_BSP', 5000);
/** Log record batching. */
export const OTEL_BLRP = batch('OTEL_BLRP', 1000);

/** The samplers of OTEL_TRACES_SAMPLER that the OpenTelemetry Node SDK implements. */
export const OTEL_TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type OtelSamplerName = (typeof OTEL_TRACES_SAMPLERS)[number];

export const OTEL_TRACES_SAMPLER = variable('OTEL_TRACES_SAMPLER', oneOf(OTEL_TRACES_SAMPLERS), 'parentbased_always_on');
/** The ratio of the traceidratio samplers; other samplers take no argument. */
export const OTEL_TRACES_SAMPLER_ARG = variable('OTEL_TRACES_SAMPLER_ARG', probability, 1);

// The specification's defaults, passed explicitly so that the SDK does not parse the variables again.
const DEFAULT_COUNT_LIMIT = 128;
/** Attribute limits shared by every signal; each signal's own variable wins. */
export const OTEL_ATTRIBUTE_COUNT_LIMIT = variable('OTEL_ATTRIBUTE_COUNT_LIMIT', limit, DEFAULT_COUNT_LIMIT);
export const OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = variable('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', limit, Infinity);
/** Span limits. */
export const OTEL_SPAN_LIMITS = {
  attributeCountLimit: optional('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', limit, usingGeneral(OTEL_ATTRIBUTE_COUNT_LIMIT)),
  attributeValueLengthLimit: optional('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', limit, usingGeneral(OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT)),
  eventCountLimit: variable('OTEL_SPAN_EVENT_COUNT_LIMIT', limit, DEFAULT_COUNT_LIMIT),
  linkCountLimit: variable('OTEL_SPAN_LINK_COUNT_LIMIT', limit, DEFAULT_COUNT_LIMIT),
  attributePerEventCountLimit: variable('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', limit, DEFAULT_COUNT_LIMIT),
  attributePerLinkCountLimit: variable('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', limit, DEFAULT_COUNT_LIMIT),
} as const;

/** Log record limits: positive integers, since the OpenTelemetry SDK's rules refuse 0 for them. */
export const OTEL_LOGRECORD_LIMITS = {
  attributeCountLimit: optional('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', positiveInteger, usingGeneral(OTEL_ATTRIBUTE_COUNT_LIMIT)),
  attributeValueLengthLimit: optional('OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', positiveInteger, usingGeneral(OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT)),
} as const;

/** Older names of span limits that some SDKs still read; each points to the name read here. */
export const LEGACY_NAMES: Readonly<Record<string, string>> = {
  OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT: OTEL_SPAN_LIMITS.attributePerEventCountLimit.name,
  OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT: OTEL_SPAN_LIMITS.attributePerLinkCountLimit.name,
};

/** Where the propagators still in use are named once unknown names were ignored. */
function propagation(kept: readonly string[]): string {
  return kept.length > 0 ? `context still propagates with ${kept.join(', ')}` : 'no context is propagated';
}

/** Unknown names are ignored, as the NodeSDK does; each is said. */
export const OTEL_PROPAGATORS = variable('OTEL_PROPAGATORS', knownNames(PROPAGATORS), ['tracecontext', 'baggage'], { whenIgnored: propagation });
/** Unknown names are ignored, as the NodeSDK does; each is said. */
export const OTEL_NODE_RESOURCE_DETECTORS = variable('OTEL_NODE_RESOURCE_DETECTORS', knownNames(RESOURCE_DETECTORS), ['all'], {
  whenIgnored: (kept) => (kept.length > 0 ? `resource attributes still come from ${kept.join(', ')}` : 'no resource attribute is detected'),
});
/** Read by the SDK's env resource detector, which discards the whole value when one entry is bad. */
export const OTEL_RESOURCE_ATTRIBUTES = optional('OTEL_RESOURCE_ATTRIBUTES', resourceAttributes, {
  whenInvalid: (raw) => `${resourceAttributesProblem(raw)}, so no attribute of it is used`,
});
/** The providers' own self-observability metrics. */
export const OTEL_NODE_EXPERIMENTAL_SDK_METRICS = variable('OTEL_NODE_EXPERIMENTAL_SDK_METRICS', boolean, false);

/**
 * The longest the final flush may hold the process when it ends (natural exit, SIGTERM, SIGINT),
 * well under the export timeouts so that a hung receiver cannot delay the exit by them.
 */
export const DYNTEL_SHUTDOWN_TIMEOUT = variable('DYNTEL_SHUTDOWN_TIMEOUT', durationMillis, 2_000);

export const DYNTEL_ENABLED_INSTRUMENTATIONS = optional('DYNTEL_ENABLED_INSTRUMENTATIONS', nameList);
export const DYNTEL_DISABLED_INSTRUMENTATIONS = variable('DYNTEL_DISABLED_INSTRUMENTATIONS', nameList, []);
export const DYNTEL_AUTO_INSTRUMENTATIONS = variable('DYNTEL_AUTO_INSTRUMENTATIONS', boolean, true);
/** The Node.js runtime's metrics (event loop, GC, heap), whenever metrics are exported. */
export const DYNTEL_RUNTIME_METRICS = variable('DYNTEL_RUNTIME_METRICS', boolean, true);

/**
 * Node programs that NODE_OPTIONS reaches on the way to the application, where telemetry would
 * only take the application's ports: package managers, supervisors that run it as a child (tsx's
 * command, nodemon) and build tools. Matched by {@link skippedProcess}.
 */
export const SKIPPED_PROCESSES = ['npm', 'npx', 'yarn', 'yarnpkg', 'pnpm', 'pnpx', 'corepack', 'tsx', 'nodemon', 'tsc', 'tsup', 'vite', 'esbuild', 'rollup', 'webpack', 'webpack-cli', 'lerna', 'nx'] as const;
/** Replaces {@link SKIPPED_PROCESSES}; `none` skips no process. */
export const DYNTEL_SKIP_PROCESSES = variable('DYNTEL_SKIP_PROCESSES', nameList, [...SKIPPED_PROCESSES]);
