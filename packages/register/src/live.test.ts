import { DiagLogLevel } from '@opentelemetry/api';
import { freePort } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
import { readDyntelConfig } from './config';
import { createStderrDiagnostics, formatProblem } from './diagnostics';
import { createPipelines } from './exporters';
import { liveViewReader, startLiveViewIfAsked } from './live';

describe('DYNTEL_LIVE_PORT and DYNTEL_LIVE_HOST', () => {
  it('are read only with a port: unset, or the host alone, is no live view', () => {
    expect(readDyntelConfig({}).config.live).toBeUndefined();
    expect(readDyntelConfig({ DYNTEL_LIVE_HOST: '0.0.0.0' }).config.live).toBeUndefined();
    expect(readDyntelConfig({ DYNTEL_LIVE_PORT: '9465' }).config.live).toEqual({ host: 'localhost', port: 9465 });
    expect(readDyntelConfig({ DYNTEL_LIVE_PORT: '9465', DYNTEL_LIVE_HOST: '127.0.0.1' }).config.live).toEqual({ host: '127.0.0.1', port: 9465 });
  });

  it('a port that is not one is one problem, and no live view', () => {
    const { config, problems } = readDyntelConfig({ DYNTEL_LIVE_PORT: '70000' });
    expect(config.live).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual(['@dyntel/register: invalid DYNTEL_LIVE_PORT: "70000"; expected an integer from 1 to 65535; the live view is not served']);
  });
});

describe('the reader the live view reads', () => {
  const quiet = createStderrDiagnostics(DiagLogLevel.NONE);

  it.each([
    { name: 'the Prometheus reader: read, none added', env: { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1' }, before: 1, after: 1 },
    { name: 'a cumulative OTLP reader: read, none added', env: { OTEL_METRICS_EXPORTER: 'otlp' }, before: 1, after: 1 },
    { name: 'a delta OTLP reader: one of its own added', env: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' }, before: 1, after: 2 },
    { name: 'metrics exporters none: one of its own added', env: { OTEL_METRICS_EXPORTER: 'none' }, before: 0, after: 1 },
  ])('$name', async ({ env, before, after }) => {
    const { config } = readDyntelConfig({ ...env, OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()), OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' });
    const pipelines = createPipelines(config, quiet);
    const existing = [...pipelines.metricReaders];
    expect(existing).toHaveLength(before);
    const reader = liveViewReader(pipelines);
    expect(pipelines.metricReaders).toHaveLength(after);
    expect(existing.includes(reader)).toBe(before === after);
    await Promise.all(pipelines.metricReaders.map((r) => r.shutdown()));
  });

  it('nothing at all without DYNTEL_LIVE_PORT', () => {
    const { config } = readDyntelConfig({ OTEL_METRICS_EXPORTER: 'none' });
    const pipelines = createPipelines(config, quiet);
    expect(startLiveViewIfAsked(config, pipelines, quiet)).toBeUndefined();
    expect(pipelines.metricReaders).toEqual([]);
  });
});
