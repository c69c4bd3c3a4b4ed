import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readDyntelConfig, type DyntelConfig } from './config';
import { formatProblem } from './diagnostics';

describe('readDyntelConfig', () => {
  it('uses the specification defaults on an empty environment', () => {
    const { config, problems } = readDyntelConfig({});
    expect(problems).toEqual([]);
    expect(config.logLevel).toBe(DiagLogLevel.INFO);
    // A blank OTEL_LOG_LEVEL counts as unset: info, and nothing to report.
    expect(readDyntelConfig({ OTEL_LOG_LEVEL: ' ' })).toMatchObject({ problems: [], config: { logLevel: DiagLogLevel.INFO } });
    expect(config.traces.exporters).toEqual(['otlp']);
    expect(config.traces.otlp).toEqual({
      url: 'http://localhost:4318/v1/traces',
      urlVariable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      urlValue: 'http://localhost:4318',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
      refusedFiles: [],
    });
    expect(config.traces.batch).toEqual({ scheduledDelayMillis: 5000, exportTimeoutMillis: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 });
    expect(config.logs.batch).toEqual({ scheduledDelayMillis: 1000, exportTimeoutMillis: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 });
    expect(config.sampler).toEqual({ status: 'unset' });
    expect(config.traces.sampler).toEqual({ name: 'parentbased_always_on' });
    expect(config.traces.limits).toEqual({
      attributeCountLimit: 128,
      attributeValueLengthLimit: Infinity,
      eventCountLimit: 128,
      linkCountLimit: 128,
      attributePerEventCountLimit: 128,
      attributePerLinkCountLimit: 128,
    });
    expect(config.metrics.exporters).toEqual(['otlp']);
    expect(config.metrics.prometheus).toEqual({ host: 'localhost', port: 9464 });
    expect(config.logs.otlp?.url).toBe('http://localhost:4318/v1/logs');
    expect(config.instrumentations).toEqual({ enabled: undefined, disabled: [], auto: true, runtime: true });
  });

  it('appends /v1/<signal> to the general endpoint and takes per-signal endpoints as they are', () => {
    const { config } = readDyntelConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/base/',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9000/custom',
    });
    expect(config.traces.otlp?.url).toBe('https://collector:4318/base/v1/traces');
    expect(config.metrics.otlp).toMatchObject({ url: 'http://metrics:9000/custom', urlVariable: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT' });
  });

  it('reads protocol, headers, timeout and compression, the per-signal variables winning', () => {
    const { config, problems } = readDyntelConfig({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=b',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '700',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'none',
    });
    expect(problems).toEqual([]);
    expect(config.traces.otlp).toMatchObject({ protocol: 'http/json', headers: { authorization: 'Bearer abc', 'x-team': 'b' }, timeoutMillis: 500, compression: 'gzip' });
    expect(config.metrics.otlp).toMatchObject({ timeoutMillis: 700, compression: 'gzip' });
    expect(config.logs.otlp).toMatchObject({ protocol: 'http/protobuf', compression: 'none' });
  });

  it('falls back to the general OTLP setting when a per-signal one is invalid', () => {
    const { config, problems } = readDyntelConfig({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '0',
    });
    expect(config.traces.otlp).toMatchObject({ protocol: 'http/json', timeoutMillis: 500 });
    expect(problems.map(formatProblem)).toEqual([
      '@dyntel/register: invalid OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc"; expected one of http/protobuf, http/json; using OTEL_EXPORTER_OTLP_PROTOCOL (point the endpoint at the collector\'s HTTP port, usually 4318)',
      '@dyntel/register: invalid OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "0"; expected a whole number of milliseconds from 1 to 2147483647; using OTEL_EXPORTER_OTLP_TIMEOUT',
    ]);
  });

  it('keeps the known exporters of a list with an unknown one, and names the unknown one', () => {
    const { config, problems } = readDyntelConfig({ OTEL_TRACES_EXPORTER: 'zipkin, jaeger', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'console' });
    expect(config.traces.exporters).toEqual(['zipkin']);
    expect(config.metrics.exporters).toEqual([]);
    expect(config.logs.exporters).toEqual(['console']);
    expect(problems.map(formatProblem)).toEqual([
      '@dyntel/register: invalid OTEL_TRACES_EXPORTER: "zipkin, jaeger"; expected a comma-separated list of otlp, zipkin, console, none; ignoring "jaeger", traces still go to zipkin (Jaeger and Tempo accept OTLP: use otlp)',
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

  // Every variable the reader checks: a bad value, its exact line, where the value lands and the fallback used.
  const VARIABLES: Array<[string, string, string, (config: DyntelConfig) => unknown, unknown]> = [
    ['OTEL_SDK_DISABLED', 'yes', 'expected true or false; using false', (c) => c.sdkDisabled, false],
    ['OTEL_LOG_LEVEL', 'loud', 'expected one of none, error, warn, info, debug, verbose, all; using info', (c) => c.logLevel, DiagLogLevel.INFO],
    ['OTEL_METRICS_EXPORTER', 'statsd', 'expected a comma-separated list of otlp, prometheus, console, none; ignoring "statsd", metrics are not exported', (c) => c.metrics.exporters, []],
    ['OTEL_LOGS_EXPORTER', 'otlp,file', 'expected a comma-separated list of otlp, console, none; ignoring "file", logs still go to otlp', (c) => c.logs.exporters, ['otlp']],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'localhost:4318', 'expected an absolute http:// or https:// URL, e.g. http://localhost:4318; OTLP export of every signal is disabled', (c) => c.traces.otlp, undefined],
    ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', '/v1/metrics', 'expected an absolute http:// or https:// URL, e.g. http://localhost:4318/v1/metrics; OTLP export of metrics is disabled', (c) => c.metrics.exporters, []],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', "expected one of http/protobuf, http/json; using http/protobuf (point the endpoint at the collector's HTTP port, usually 4318)", (c) => c.traces.otlp?.protocol, 'http/protobuf'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '10s', 'expected a whole number of milliseconds from 1 to 2147483647; using 10000', (c) => c.logs.otlp?.timeoutMillis, 10_000],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'zstd', 'expected one of gzip, none; using none', (c) => c.logs.otlp?.compression, 'none'],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '94a64', 'expected an integer from 1 to 65535; using 9464', (c) => c.metrics.prometheus.port, 9464],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '0x50', 'expected an integer from 1 to 65535; using 9464', (c) => c.metrics.prometheus.port, 9464],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '70000', 'expected an integer from 1 to 65535; using 9464', (c) => c.metrics.prometheus.port, 9464],
    ['OTEL_METRIC_EXPORT_INTERVAL', '0', 'expected a whole number of milliseconds from 1 to 2147483647; using 60000', (c) => c.metrics.exportIntervalMillis, 60_000],
    ['OTEL_METRIC_EXPORT_TIMEOUT', '1.5', 'expected a whole number of milliseconds from 1 to 2147483647; using 30000', (c) => c.metrics.exportTimeoutMillis, 30_000],
    ['OTEL_BSP_SCHEDULE_DELAY', '-5', 'expected a whole number of milliseconds from 0 to 2147483647; using 5000', (c) => c.traces.batch.scheduledDelayMillis, 5000],
    ['OTEL_BSP_EXPORT_TIMEOUT', '2147483648', 'expected a whole number of milliseconds from 0 to 2147483647; using 30000', (c) => c.traces.batch.exportTimeoutMillis, 30_000],
    ['OTEL_BSP_MAX_QUEUE_SIZE', '0', 'expected an integer from 1 to 100000; using 2048', (c) => c.traces.batch.maxQueueSize, 2048],
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '12.5', 'expected an integer from 1 to 10000; using 512', (c) => c.traces.batch.maxExportBatchSize, 512],
    ['OTEL_BLRP_SCHEDULE_DELAY', 'soon', 'expected a whole number of milliseconds from 0 to 2147483647; using 1000', (c) => c.logs.batch.scheduledDelayMillis, 1000],
    ['OTEL_BLRP_EXPORT_TIMEOUT', '1e4', 'expected a whole number of milliseconds from 0 to 2147483647; using 30000', (c) => c.logs.batch.exportTimeoutMillis, 30_000],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', '-1', 'expected an integer from 1 to 100000; using 2048', (c) => c.logs.batch.maxQueueSize, 2048],
    ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', '0x200', 'expected an integer from 1 to 10000; using 512', (c) => c.logs.batch.maxExportBatchSize, 512],
    ['DYNTEL_AUTO_INSTRUMENTATIONS', 'nope', 'expected true or false; using true', (c) => c.instrumentations.auto, true],
    ['DYNTEL_RUNTIME_METRICS', 'on', 'expected true or false; using true', (c) => c.instrumentations.runtime, true],
    ['OTEL_TRACES_SAMPLER', 'jaeger_remote', 'expected one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio; using parentbased_always_on', (c) => c.traces.sampler, { name: 'parentbased_always_on' }],
    ['OTEL_ATTRIBUTE_COUNT_LIMIT', '-1', 'expected a non-negative integer; using 128', (c) => c.traces.limits.attributeCountLimit, 128],
    ['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', '1.5', 'expected a non-negative integer; using no limit', (c) => c.traces.limits.attributeValueLengthLimit, Infinity],
    ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'many', 'expected a non-negative integer; using OTEL_ATTRIBUTE_COUNT_LIMIT', (c) => c.traces.limits.attributeCountLimit, 128],
    ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', '0x10', 'expected a non-negative integer; using OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', (c) => c.traces.limits.attributeValueLengthLimit, Infinity],
    ['OTEL_SPAN_EVENT_COUNT_LIMIT', '1e2', 'expected a non-negative integer; using 128', (c) => c.traces.limits.eventCountLimit, 128],
    ['OTEL_SPAN_LINK_COUNT_LIMIT', '-3', 'expected a non-negative integer; using 128', (c) => c.traces.limits.linkCountLimit, 128],
    ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 'x', 'expected a non-negative integer; using 128', (c) => c.traces.limits.attributePerEventCountLimit, 128],
    ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', '2.0', 'expected a non-negative integer; using 128', (c) => c.traces.limits.attributePerLinkCountLimit, 128],
    ['DYNTEL_SAMPLER_PROBABILITY', '1e-20', 'expected a decimal number from 0 to 1 (0, or at least 2^-56); using parent-based always-on sampling', (c) => c.sampler.status, 'invalid'],
    ['DYNTEL_SAMPLER_PROBABILITY', '0x1', 'expected a decimal number from 0 to 1 (0, or at least 2^-56); using parent-based always-on sampling', (c) => c.sampler.status, 'invalid'],
  ];

  it.each(VARIABLES)('reports %s=%s in one line and uses the fallback', (variable, value, tail, read, fallback) => {
    const { config, problems } = readDyntelConfig({ [variable]: value });
    expect(problems.map(formatProblem)).toEqual([`@dyntel/register: invalid ${variable}: "${value}"; ${tail}`]);
    expect(read(config)).toEqual(fallback);
  });

  it('reads a valid value of every kind', () => {
    const { config, problems } = readDyntelConfig({
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9000',
      OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
      OTEL_METRIC_EXPORT_INTERVAL: '2000',
      OTEL_METRIC_EXPORT_TIMEOUT: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '0',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
      OTEL_BLRP_EXPORT_TIMEOUT: '2147483647',
      DYNTEL_SAMPLER_PROBABILITY: '0.25',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '10',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '200',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '0',
    });
    expect(problems).toEqual([]);
    expect(config.sdkDisabled).toBe(true);
    expect(config.metrics).toMatchObject({ prometheus: { host: '0.0.0.0', port: 9000 }, exportIntervalMillis: 2000, exportTimeoutMillis: 1000 });
    expect(config.traces.batch).toEqual({ scheduledDelayMillis: 0, exportTimeoutMillis: 30_000, maxQueueSize: 100, maxExportBatchSize: 10 });
    expect(config.logs.batch.exportTimeoutMillis).toBe(2147483647);
    expect(config.traces.limits).toMatchObject({ attributeCountLimit: 10, attributeValueLengthLimit: 100, eventCountLimit: 0, linkCountLimit: 128 });
    expect(config.sampler).toMatchObject({ status: 'set', options: { root: { type: 'probability', probability: 0.25 } } });
  });

  it('reads OTEL_TRACES_SAMPLER_ARG as a decimal probability for the ratio samplers only, and not OTEL_TRACES_SAMPLER when DYNTEL_SAMPLER_* decide', () => {
    expect(readDyntelConfig({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).config.traces.sampler).toEqual({ name: 'traceidratio', ratio: 0.1 });
    expect(readDyntelConfig({ OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: '0.5' })).toMatchObject({ problems: [], config: { traces: { sampler: { name: 'always_off' } } } });
    const bad = readDyntelConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0x1' });
    expect(bad.config.traces.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 1 });
    expect(bad.problems.map(formatProblem)).toEqual([
      '@dyntel/register: invalid OTEL_TRACES_SAMPLER_ARG: "0x1"; expected a decimal number from 0 to 1 (0, or at least 2^-56); using 1',
    ]);
    const dyntel = readDyntelConfig({ DYNTEL_SAMPLER_PROBABILITY: '0.5', OTEL_TRACES_SAMPLER: 'nope' });
    expect(dyntel.problems).toEqual([]);
    expect(dyntel.config.traces.sampler).toBeUndefined();
  });

  it('lowers a batch larger than its queue to the queue, and says so when the batch size was set', () => {
    expect(readDyntelConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '100' })).toMatchObject({ problems: [], config: { traces: { batch: { maxQueueSize: 100, maxExportBatchSize: 100 } } } });
    const both = readDyntelConfig({ OTEL_BLRP_MAX_QUEUE_SIZE: '100', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '200' });
    expect(both.config.logs.batch).toMatchObject({ maxQueueSize: 100, maxExportBatchSize: 100 });
    expect(both.problems.map(formatProblem)).toEqual([
      '@dyntel/register: invalid OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: "200"; expected an integer from 1 to 10000, no larger than OTEL_BLRP_MAX_QUEUE_SIZE (100); using 100',
    ]);
  });

  it('reports a sampler document problem with the variable and the field', () => {
    const { problems } = readDyntelConfig({ DYNTEL_SAMPLER_RULES: '[{ sampler: { probability: { ratio: 7 } } }]' });
    expect(problems.map(formatProblem)).toEqual([
      '@dyntel/register: invalid DYNTEL_SAMPLER_RULES rule_based.rules[0].sampler.probability.ratio: 7; expected a number from 0 to 1; using parent-based always-on sampling',
    ]);
  });

  it('clamps the metric export timeout to the interval, silently unless the user set the timeout', () => {
    expect(readDyntelConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000' })).toMatchObject({ problems: [], config: { metrics: { exportIntervalMillis: 1000, exportTimeoutMillis: 1000 } } });
    const both = readDyntelConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' });
    expect(both.config.metrics).toMatchObject({ exportIntervalMillis: 1000, exportTimeoutMillis: 1000 });
    expect(both.problems.map(formatProblem)).toEqual([
      '@dyntel/register: invalid OTEL_METRIC_EXPORT_TIMEOUT: "5000"; expected a whole number of milliseconds from 1 to 2147483647, no longer than OTEL_METRIC_EXPORT_INTERVAL (1000); using 1000',
    ]);
    expect(readDyntelConfig({}).config.metrics).toMatchObject({ exportIntervalMillis: 60_000, exportTimeoutMillis: 30_000 });
  });

  it('reads levels case-insensitively, instrumentation lists and the SDK switch', () => {
    const { config } = readDyntelConfig({
      OTEL_LOG_LEVEL: 'debug',
      DYNTEL_ENABLED_INSTRUMENTATIONS: 'circuit-breaker, retry,',
      DYNTEL_DISABLED_INSTRUMENTATIONS: 'retry',
      DYNTEL_AUTO_INSTRUMENTATIONS: 'FALSE',
      DYNTEL_RUNTIME_METRICS: 'False',
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: ' checkout ',
    });
    expect(config.logLevel).toBe(DiagLogLevel.DEBUG);
    expect(config.instrumentations).toEqual({ enabled: ['circuit-breaker', 'retry'], disabled: ['retry'], auto: false, runtime: false });
    expect(config.sdkDisabled).toBe(true);
    expect(config.serviceName).toBe('checkout');
  });
});
