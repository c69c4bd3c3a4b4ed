import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readDyntelConfig } from './config';
import { formatProblem } from './diagnostics';

describe('readDyntelConfig', () => {
  it('uses the specification defaults on an empty environment', () => {
    const { config, problems } = readDyntelConfig({});
    expect(problems).toEqual([]);
    expect(config.logLevel).toBe(DiagLogLevel.INFO);
    // A blank OTEL_LOG_LEVEL counts as unset: info, and nothing to report.
    expect(readDyntelConfig({ OTEL_LOG_LEVEL: ' ' })).toMatchObject({ problems: [], config: { logLevel: DiagLogLevel.INFO } });
    expect(config.traces.exporters).toEqual(['otlp']);
    expect(config.traces.otlp).toEqual({ url: 'http://localhost:4318/v1/traces', urlVariable: 'OTEL_EXPORTER_OTLP_ENDPOINT', urlValue: 'http://localhost:4318', protocol: 'http/protobuf', headers: {} });
    expect(config.metrics.exporters).toEqual(['otlp']);
    expect(config.metrics.prometheus).toEqual({ host: 'localhost', port: 9464 });
    expect(config.logs.otlp?.url).toBe('http://localhost:4318/v1/logs');
    expect(config.instrumentations).toEqual({ enabled: undefined, disabled: [], auto: true });
  });

  it('appends /v1/<signal> to the general endpoint and takes per-signal endpoints as they are', () => {
    const { config } = readDyntelConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/base/',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9000/custom',
    });
    expect(config.traces.otlp?.url).toBe('https://collector:4318/base/v1/traces');
    expect(config.metrics.otlp).toMatchObject({ url: 'http://metrics:9000/custom', urlVariable: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT' });
  });

  it('reads protocol and headers, the per-signal variables winning', () => {
    const { config, problems } = readDyntelConfig({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=b',
    });
    expect(problems).toEqual([]);
    expect(config.traces.otlp).toMatchObject({ protocol: 'http/json', headers: { authorization: 'Bearer abc', 'x-team': 'b' } });
    expect(config.logs.otlp?.protocol).toBe('http/protobuf');
  });

  it('keeps the known exporters of a list with an unknown one, and names the unknown one', () => {
    const { config, problems } = readDyntelConfig({ OTEL_TRACES_EXPORTER: 'zipkin, jaeger', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'console' });
    expect(config.traces.exporters).toEqual(['zipkin']);
    expect(config.metrics.exporters).toEqual([]);
    expect(config.logs.exporters).toEqual(['console']);
    expect(problems.map(formatProblem)).toEqual([
      'OTEL_TRACES_EXPORTER="zipkin, jaeger" names "jaeger", which is not a supported exporter; accepted: a comma-separated list of otlp, zipkin, console, none. Ignoring "jaeger"; traces still go to zipkin. Jaeger and Tempo accept OTLP: use otlp.',
    ]);
  });

  it('disables OTLP for every signal when the general endpoint is malformed, reported once', () => {
    const { config, problems } = readDyntelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318', OTEL_TRACES_EXPORTER: 'otlp,console' });
    expect(config.traces.exporters).toEqual(['console']);
    expect(config.metrics.exporters).toEqual([]);
    expect(config.logs.exporters).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'localhost:4318' });
  });

  it('lets a valid per-signal endpoint stand when the general one is malformed', () => {
    const { config } = readDyntelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'nope', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/v1/traces' });
    expect(config.traces.otlp?.url).toBe('http://t:4318/v1/traces');
    expect(config.metrics.exporters).toEqual([]);
  });

  it.each([
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '94a64', 'is not a TCP port'],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '70000', 'is not a TCP port'],
    ['OTEL_LOG_LEVEL', 'loud', 'is not a log level'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', 'is not a supported OTLP protocol'],
    ['OTEL_BSP_SCHEDULE_DELAY', '-5', 'is not a duration'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '0', 'is not a positive duration'],
    ['DYNTEL_AUTO_INSTRUMENTATIONS', 'nope', 'is not a boolean'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'novalue', 'has an entry "novalue" that is not key=value'],
  ])('reports %s=%s and falls back', (variable, value, problem) => {
    const { config, problems } = readDyntelConfig({ [variable]: value });
    expect(problems).toEqual([expect.objectContaining({ variable, value, problem })]);
    expect(problems[0]!.accepted).not.toBe('');
    expect(config.metrics.prometheus.port).toBe(9464);
    expect(config.logLevel).toBe(DiagLogLevel.INFO);
    expect(config.instrumentations.auto).toBe(true);
  });

  it('clamps the metric export timeout to the interval, silently unless the user set the timeout', () => {
    expect(readDyntelConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000' })).toMatchObject({ problems: [], config: { metrics: { exportIntervalMillis: 1000, exportTimeoutMillis: 1000 } } });
    const both = readDyntelConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' });
    expect(both.config.metrics).toMatchObject({ exportIntervalMillis: 1000, exportTimeoutMillis: 1000 });
    expect(both.problems).toEqual([expect.objectContaining({ variable: 'OTEL_METRIC_EXPORT_TIMEOUT', value: '5000' })]);
    expect(readDyntelConfig({}).config.metrics).toMatchObject({ exportIntervalMillis: 60_000, exportTimeoutMillis: 30_000 });
  });

  it('reads levels case-insensitively, instrumentation lists and the SDK switch', () => {
    const { config } = readDyntelConfig({
      OTEL_LOG_LEVEL: 'debug',
      DYNTEL_ENABLED_INSTRUMENTATIONS: 'circuit-breaker, retry,',
      DYNTEL_DISABLED_INSTRUMENTATIONS: 'retry',
      DYNTEL_AUTO_INSTRUMENTATIONS: 'FALSE',
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: ' checkout ',
    });
    expect(config.logLevel).toBe(DiagLogLevel.DEBUG);
    expect(config.instrumentations).toEqual({ enabled: ['circuit-breaker', 'retry'], disabled: ['retry'], auto: false });
    expect(config.sdkDisabled).toBe(true);
    expect(config.serviceName).toBe('checkout');
  });
});
