import { DiagLogLevel } from '@opentelemetry/api';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { readDyntelConfig } from './config';
import { createStderrDiagnostics } from './diagnostics';
import { ExportCutoff } from './export-cutoff';
import { createPipelines, ExportHealth } from './exporters';
import { sdkMetrics, sdkTrace } from './lazy';

describe('createPipelines', () => {
  it('builds one processor or reader per configured exporter', async () => {
    const { config } = readDyntelConfig({ OTEL_TRACES_EXPORTER: 'otlp,zipkin,console', OTEL_METRICS_EXPORTER: 'otlp,console', OTEL_LOGS_EXPORTER: 'none' });
    const lines: string[] = [];
    const pipelines = createPipelines(config, createStderrDiagnostics(DiagLogLevel.ALL, (l) => lines.push(l)));
    // The classes of the copy the pipelines load, not of the one vitest would import.
    const { BatchSpanProcessor, SimpleSpanProcessor } = sdkTrace();
    const { PeriodicExportingMetricReader } = sdkMetrics();
    expect(pipelines.spanProcessors.map((p) => p.constructor)).toEqual([BatchSpanProcessor, BatchSpanProcessor, SimpleSpanProcessor]);
    expect(pipelines.metricReaders.every((r) => r instanceof PeriodicExportingMetricReader)).toBe(true);
    expect(pipelines.metricReaders).toHaveLength(2);
    expect(pipelines.logRecordProcessors).toEqual([]);
    expect(lines).toEqual([]);
    await Promise.all([...pipelines.spanProcessors, ...pipelines.metricReaders].map((p) => p.shutdown()));
  });
});

describe('the reachability diagnostic', () => {
  it('says nothing of an export that the final flush cut short: the receiver is not to blame', async () => {
    const sockets: Socket[] = [];
    const hung = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(hung, 'listening');
    const endpoint = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
    const { config } = readDyntelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' });
    const lines: string[] = [];
    const pipelines = createPipelines(config, createStderrDiagnostics(DiagLogLevel.ALL, (l) => lines.push(l)));
    const cutoff = new ExportCutoff();
    expect(cutoff.adoptPipelines(pipelines)).toBe(1);
    const exporter = (pipelines.spanProcessors[0] as unknown as { _exporter: { export(items: unknown[], done: (result: ExportResult) => void): void } })._exporter;
    const result = new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    await once(hung, 'connection');
    cutoff.cut();
    expect(await result).toMatchObject({ code: ExportResultCode.FAILED });
    expect(lines).toEqual([]);
    for (const socket of sockets) socket.destroy();
    hung.close();
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
