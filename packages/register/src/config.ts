import { DiagLogLevel } from '@opentelemetry/api';
import type { ConfigProblem } from './diagnostics';

/** The environment to read; `process.env` unless a test passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Exporters accepted in OTEL_TRACES_EXPORTER. */
export const TRACE_EXPORTERS = ['otlp', 'zipkin', 'console', 'none'] as const;
/** Exporters accepted in OTEL_METRICS_EXPORTER. */
export const METRIC_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;
/** Exporters accepted in OTEL_LOGS_EXPORTER. */
export const LOG_EXPORTERS = ['otlp', 'console', 'none'] as const;
/** OTLP transports accepted in OTEL_EXPORTER_OTLP_PROTOCOL and its per-signal variants. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

export type TraceExporterName = Exclude<(typeof TRACE_EXPORTERS)[number], 'none'>;
export type MetricExporterName = Exclude<(typeof METRIC_EXPORTERS)[number], 'none'>;
export type LogExporterName = Exclude<(typeof LOG_EXPORTERS)[number], 'none'>;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export type Signal = 'traces' | 'metrics' | 'logs';

/** Where one signal goes over OTLP, and which variable decided it (named in diagnostics). */
export interface OtlpTarget {
  url: string;
  /** The variable the URL came from, or the general one when the default applies. */
  urlVariable: string;
  /** The value of that variable as the user wrote it (the default URL when unset). */
  urlValue: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
}

/** Batch processor settings (OTEL_BSP_* for spans, OTEL_BLRP_* for log records). */
export interface BatchSettings {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

/** Everything @dyntel/register reads from the environment, validated. */
export interface DyntelConfig {
  /** OTEL_SDK_DISABLED=true: start nothing. */
  sdkDisabled: boolean;
  serviceName?: string;
  /** OTEL_LOG_LEVEL, INFO when unset. */
  logLevel: DiagLogLevel;
  traces: { exporters: TraceExporterName[]; otlp?: OtlpTarget; zipkinUrl: string; batch: BatchSettings };
  metrics: {
    exporters: MetricExporterName[];
    otlp?: OtlpTarget;
    prometheus: { host: string; port: number };
    /** OTEL_METRIC_EXPORT_INTERVAL, positive. */
    exportIntervalMillis: number;
    /** OTEL_METRIC_EXPORT_TIMEOUT, positive and never longer than the interval. */
    exportTimeoutMillis: number;
  };
  logs: { exporters: LogExporterName[]; otlp?: OtlpTarget; batch: BatchSettings };
  instrumentations: {
    /** DYNTEL_ENABLED_INSTRUMENTATIONS: only these ids (all when unset). */
    enabled?: string[];
    /** DYNTEL_DISABLED_INSTRUMENTATIONS: never these ids. */
    disabled: string[];
    /** DYNTEL_AUTO_INSTRUMENTATIONS: add @opentelemetry/auto-instrumentations-node when installed. */
    auto: boolean;
  };
}

/** The configuration and everything that was wrong with the environment it came from. */
export interface ConfigReading {
  config: DyntelConfig;
  problems: ConfigProblem[];
}

const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const DEFAULT_ZIPKIN_URL = 'http://localhost:9411/api/v2/spans';
const DEFAULT_PROMETHEUS_HOST = 'localhost';
const DEFAULT_PROMETHEUS_PORT = 9464;
const DEFAULT_METRIC_EXPORT_INTERVAL = 60_000;
const DEFAULT_METRIC_EXPORT_TIMEOUT = 30_000;
const LOG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};
const URL_ACCEPTED = 'an absolute http:// or https:// URL, e.g. http://localhost:4318';

/**
 * Reads the OTEL_* and DYNTEL_* variables @dyntel/register understands. Never throws: every
 * bad value becomes a {@link ConfigProblem} and a safe fallback, so that a typo in a
 * deployment can cost telemetry but never the application.
 */
export function readDyntelConfig(env: Env = process.env): ConfigReading {
  const problems: ConfigProblem[] = [];
  const reader = new EnvReader(env, problems);

  const logLevelRaw = reader.string('OTEL_LOG_LEVEL');
  let logLevel = DiagLogLevel.INFO;
  if (logLevelRaw !== undefined) {
    const parsed = LOG_LEVELS[logLevelRaw.toUpperCase()];
    if (parsed === undefined) {
      problems.push({
        variable: 'OTEL_LOG_LEVEL',
        value: logLevelRaw,
        problem: 'is not a log level',
        accepted: Object.keys(LOG_LEVELS).join(', ').toLowerCase(),
        consequence: 'Using info.',
      });
    } else {
      logLevel = parsed;
    }
  }

  // An unparsable general endpoint concerns every signal; reported once, here.
  const generalEndpoint = reader.url('OTEL_EXPORTER_OTLP_ENDPOINT', 'OTLP export of every signal is disabled.');

  const traceExporters = reader.exporterList('OTEL_TRACES_EXPORTER', TRACE_EXPORTERS, 'otlp', 'traces', ' Jaeger and Tempo accept OTLP: use otlp.');
  const metricExporters = reader.exporterList('OTEL_METRICS_EXPORTER', METRIC_EXPORTERS, 'otlp', 'metrics');
  const logExporters = reader.exporterList('OTEL_LOGS_EXPORTER', LOG_EXPORTERS, 'otlp', 'logs');

  const otlpFor = <T extends string>(signal: Signal, exporters: T[]): { exporters: T[]; otlp?: OtlpTarget } => {
    if (!exporters.includes('otlp' as T)) return { exporters };
    const otlp = reader.otlpTarget(signal, generalEndpoint);
    return otlp ? { exporters, otlp } : { exporters: exporters.filter((e) => e !== 'otlp') };
  };

  const traces = otlpFor('traces', traceExporters);
  let zipkinUrl = DEFAULT_ZIPKIN_URL;
  if (traces.exporters.includes('zipkin')) {
    const zipkin = reader.url('OTEL_EXPORTER_ZIPKIN_ENDPOINT', 'Zipkin export is disabled.', 'an absolute http:// or https:// URL, e.g. http://localhost:9411/api/v2/spans');
    if (zipkin === null) traces.exporters = traces.exporters.filter((e) => e !== 'zipkin');
    else if (zipkin !== undefined) zipkinUrl = zipkin.value;
  }

  const metrics = otlpFor('metrics', metricExporters);
  const logs = otlpFor('logs', logExporters);

  return {
    problems,
    config: {
      sdkDisabled: reader.boolean('OTEL_SDK_DISABLED', false),
      serviceName: reader.string('OTEL_SERVICE_NAME'),
      logLevel,
      traces: { ...traces, zipkinUrl, batch: reader.batch('OTEL_BSP') },
      metrics: {
        ...metrics,
        prometheus: {
          host: reader.string('OTEL_EXPORTER_PROMETHEUS_HOST') ?? DEFAULT_PROMETHEUS_HOST,
          port: reader.port('OTEL_EXPORTER_PROMETHEUS_PORT', DEFAULT_PROMETHEUS_PORT),
        },
        ...reader.metricExportTiming(),
      },
      logs: { ...logs, batch: reader.batch('OTEL_BLRP') },
      instrumentations: {
        ...readInstrumentationLists(env),
        auto: reader.boolean('DYNTEL_AUTO_INSTRUMENTATIONS', true),
      },
    },
  };
}

/**
 * DYNTEL_ENABLED_INSTRUMENTATIONS and DYNTEL_DISABLED_INSTRUMENTATIONS alone, for callers that
 * need nothing else from the environment. Reading a list never records a problem.
 */
export function readInstrumentationLists(env: Env = process.env): { enabled?: string[]; disabled: string[] } {
  const reader = new EnvReader(env, []);
  return { enabled: reader.list('DYNTEL_ENABLED_INSTRUMENTATIONS'), disabled: reader.list('DYNTEL_DISABLED_INSTRUMENTATIONS') ?? [] };
}

/** Typed access to the environment; each accessor records a problem instead of throwing. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: ConfigProblem[],
  ) {}

  /** Records a problem once: general variables are read again for every signal. */
  report(problem: ConfigProblem): void {
    const same = (p: ConfigProblem) => p.variable === problem.variable && p.value === problem.value && p.problem === problem.problem;
    if (!this.problems.some(same)) this.problems.push(problem);
  }

  /** A trimmed value; blank counts as unset, as in the OpenTelemetry specification. */
  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    this.report({ variable: name, value, problem: 'is not a boolean', accepted: 'true, false', consequence: `Using ${fallback}.` });
    return fallback;
  }

  millis(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isFinite(n) && n >= 0) return n;
    this.report({ variable: name, value, problem: 'is not a duration', accepted: 'a non-negative number of milliseconds', consequence: 'Using the default.' });
    return undefined;
  }

  /** A duration that must be above zero (the metric reader refuses 0). */
  positiveMillis(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) return n;
    this.report({ variable: name, value, problem: 'is not a positive duration', accepted: 'a number of milliseconds above 0', consequence: `Using ${fallback}.` });
    return fallback;
  }

  /** Interval and timeout of periodic metric export; a timeout longer than the interval is clamped to it. */
  metricExportTiming(): { exportIntervalMillis: number; exportTimeoutMillis: number } {
    const exportIntervalMillis = this.positiveMillis('OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_METRIC_EXPORT_INTERVAL);
    const timeout = this.positiveMillis('OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_METRIC_EXPORT_TIMEOUT);
    if (timeout <= exportIntervalMillis) return { exportIntervalMillis, exportTimeoutMillis: timeout };
    if (this.string('OTEL_METRIC_EXPORT_TIMEOUT') !== undefined) {
      this.report({
        variable: 'OTEL_METRIC_EXPORT_TIMEOUT',
        value: String(timeout),
        problem: `is longer than the export interval (${exportIntervalMillis} ms)`,
        accepted: 'a number of milliseconds no larger than OTEL_METRIC_EXPORT_INTERVAL',
        consequence: `Using ${exportIntervalMillis}.`,
      });
    }
    return { exportIntervalMillis, exportTimeoutMillis: exportIntervalMillis };
  }

  port(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (Number.isInteger(n) && n >= 1 && n <= 65535) return n;
    this.report({ variable: name, value, problem: 'is not a TCP port', accepted: 'an integer from 1 to 65535', consequence: `Using ${fallback}.` });
    return fallback;
  }

  batch(prefix: 'OTEL_BSP' | 'OTEL_BLRP'): BatchSettings {
    const settings: BatchSettings = {};
    const set = (key: keyof BatchSettings, suffix: string) => {
      const v = this.millis(`${prefix}_${suffix}`);
      if (v !== undefined) settings[key] = v;
    };
    set('scheduledDelayMillis', 'SCHEDULE_DELAY');
    set('exportTimeoutMillis', 'EXPORT_TIMEOUT');
    set('maxQueueSize', 'MAX_QUEUE_SIZE');
    set('maxExportBatchSize', 'MAX_EXPORT_BATCH_SIZE');
    return settings;
  }

  /** An http(s) URL: `undefined` when unset, `null` (and a problem) when unusable. */
  url(name: string, consequence: string, accepted = URL_ACCEPTED): { name: string; value: string } | null | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (isHttpUrl(value)) return { name, value };
    this.report({ variable: name, value, problem: 'is not a valid endpoint', accepted, consequence });
    return null;
  }

  exporterList<T extends string>(name: string, accepted: readonly T[], fallback: T, signal: Signal, hint = ''): Exclude<T, 'none'>[] {
    const names = this.list(name) ?? [fallback];
    if (names.includes('none')) return [];
    const known = names.filter((n): n is Exclude<T, 'none'> => (accepted as readonly string[]).includes(n));
    for (const unknown of names.filter((n) => !known.includes(n as Exclude<T, 'none'>))) {
      this.report({
        variable: name,
        value: this.string(name) ?? '',
        problem: `names "${unknown}", which is not a supported exporter`,
        accepted: `a comma-separated list of ${accepted.join(', ')}`,
        consequence: `Ignoring "${unknown}"${known.length > 0 ? `; ${signal} still go to ${known.join(', ')}` : `; ${signal} are not exported`}.${hint}`,
      });
    }
    return known;
  }

  /**
   * The OTLP destination of one signal, by the specification's precedence: the per-signal
   * endpoint as is, else the general endpoint plus `/v1/<signal>`, else the local default.
   */
  otlpTarget(signal: Signal, general: { name: string; value: string } | null | undefined): OtlpTarget | undefined {
    const upper = signal.toUpperCase();
    const specific = this.url(`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`, `OTLP export of ${signal} is disabled.`);
    if (specific === null) return undefined;
    let url: string;
    let urlVariable: string;
    let urlValue: string;
    if (specific) {
      ({ value: url, name: urlVariable, value: urlValue } = specific);
    } else if (general === null) {
      return undefined;
    } else {
      urlVariable = general?.name ?? 'OTEL_EXPORTER_OTLP_ENDPOINT';
      urlValue = general?.value ?? DEFAULT_OTLP_ENDPOINT;
      url = `${urlValue.replace(/\/+$/, '')}/v1/${signal}`;
    }
    return { url, urlVariable, urlValue, protocol: this.protocol(signal), headers: this.headers(signal) };
  }

  private protocol(signal: Signal): OtlpProtocol {
    const specificName = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`;
    const name = this.string(specificName) !== undefined ? specificName : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const value = this.string(name);
    if (value === undefined || (OTLP_PROTOCOLS as readonly string[]).includes(value)) return (value as OtlpProtocol) ?? 'http/protobuf';
    this.report({
      variable: name,
      value,
      problem: 'is not a supported OTLP protocol',
      accepted: OTLP_PROTOCOLS.join(', '),
      consequence: `Using http/protobuf${value === 'grpc' ? ' (point the endpoint at the collector\'s HTTP port, usually 4318)' : ''}.`,
    });
    return 'http/protobuf';
  }

  /** W3C-baggage-style `key=value` pairs; the per-signal variable wins key by key. */
  private headers(signal: Signal): Record<string, string> {
    return {
      ...this.keyValues('OTEL_EXPORTER_OTLP_HEADERS'),
      ...this.keyValues(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`),
    };
  }

  private keyValues(name: string): Record<string, string> {
    const raw = this.string(name);
    const out: Record<string, string> = {};
    if (raw === undefined) return out;
    for (const entry of raw.split(',')) {
      const eq = entry.indexOf('=');
      const key = eq > 0 ? entry.slice(0, eq).trim() : '';
      if (key === '') {
        if (entry.trim() !== '') {
          this.report({
            variable: name,
            value: raw,
            problem: `has an entry "${entry.trim()}" that is not key=value`,
            accepted: 'comma-separated key=value pairs, values URL-encoded',
            consequence: 'Ignoring that entry.',
          });
        }
        continue;
      }
      try {
        out[key] = decodeURIComponent(entry.slice(eq + 1).trim());
      } catch {
        out[key] = entry.slice(eq + 1).trim();
      }
    }
    return out;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
