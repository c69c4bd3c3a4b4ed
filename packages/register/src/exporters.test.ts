import { DiagLogLevel } from '@opentelemetry/api';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { readDyntelConfig } from './config';
import { createStderrDiagnostics } from './diagnostics';
import { createPipelines, ExportHealth } from './exporters';

describe('createPipelines', () => {
  it('builds one processor or reader per configured exporter', async () => {
    const { config } = readDyntelConfig({ OTEL_TRACES_EXPORTER: 'otlp,zipkin,console', OTEL_METRICS_EXPORTER: 'otlp,console', OTEL_LOGS_EXPORTER: 'none' });
    const lines: string[] = [];
    const pipelines = createPipelines(config, createStderrDiagnostics(DiagLogLevel.ALL, (l) => lines.push(l)));
    expect(pipelines.spanProcessors.map((p) => p.constructor)).toEqual([BatchSpanProcessor, BatchSpanProcessor, SimpleSpanProcessor]);
    expect(pipelines.metricReaders.every((r) => r instanceof PeriodicExportingMetricReader)).toBe(true);
    expect(pipelines.metricReaders).toHaveLength(2);
    expect(pipelines.logRecordProcessors).toEqual([]);
    expect(lines).toEqual([]);
    await Promise.all([...pipelines.spanProcessors, ...pipelines.metricReaders].map((p) => p.shutdown()));
  });
});

describe('ExportHealth', () => {
  it('changes state once per outage and once per recovery, per receiver', () => {
    const health = new ExportHealth();
    expect(health.record('a', true)).toBe(false);
    expect(health.record('a', false)).toBe(true);
    expect(health.record('a', false)).toBe(false);
    expect(health.anyFailing()).toBe(true);
    expect(health.record('b', false)).toBe(true);
    expect(health.record('a', true)).toBe(true);
    expect(health.record('b', true)).toBe(true);
    expect(health.anyFailing()).toBe(false);
  });
});
