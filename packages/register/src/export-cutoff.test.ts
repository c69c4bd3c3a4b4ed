import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TracesJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { ExportCutoff, isCutShort } from './export-cutoff';

describe('ExportCutoff', () => {
  it.each([TracesProto, TracesJson, MetricsProto, MetricsJson, LogsProto, LogsJson])('adopts the pinned %o', (Exporter) => {
    expect(new ExportCutoff().adopt(new Exporter({ url: 'http://127.0.0.1:1/v1/x' }))).toBe(true);
  });

  it('adopts the pinned ZipkinExporter', () => {
    expect(new ExportCutoff().adopt(new ZipkinExporter({ url: 'http://127.0.0.1:1/api/v2/spans' }))).toBe(true);
  });

  it('leaves an exporter it does not know alone', () => {
    expect(new ExportCutoff().adopt({ export() {} })).toBe(false);
  });

  it('ends an export waiting on a receiver that never answers, and one waiting to retry a refused connection', async () => {
    const sockets: Socket[] = [];
    const hung = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(hung, 'listening');
    const hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}/v1/traces`;
    const cutoff = new ExportCutoff();
    const exporters = [new TracesProto({ url: hungUrl, timeoutMillis: 60_000 }), new TracesProto({ url: 'http://127.0.0.1:1/v1/traces', timeoutMillis: 60_000 })];
    for (const exporter of exporters) cutoff.adopt(exporter);
    const results = exporters.map((exporter) => new Promise<ExportResult>((resolve) => exporter.export([], resolve)));
    // Empty exports are sent too; wait until the hung receiver holds its request.
    await once(hung, 'connection');
    cutoff.cut();
    const [fromHung, fromRefused] = await Promise.all(results);
    expect(fromHung).toMatchObject({ code: ExportResultCode.FAILED });
    expect(isCutShort(fromHung!.error)).toBe(true);
    expect(isCutShort(fromRefused!.error)).toBe(true);
    for (const socket of sockets) socket.destroy();
    hung.close();
  });

  it('ends a Zipkin export waiting on a receiver that never answers', async () => {
    const sockets: Socket[] = [];
    const hung = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(hung, 'listening');
    const exporter = new ZipkinExporter({ url: `http://127.0.0.1:${(hung.address() as { port: number }).port}/api/v2/spans`, serviceName: 'dyntel-test' });
    const cutoff = new ExportCutoff();
    cutoff.adopt(exporter);
    const result = new Promise<ExportResult>((resolve) => exporter.export([oneSpan()], resolve));
    await once(hung, 'connection');
    cutoff.cut();
    const ended = await result;
    expect(ended).toMatchObject({ code: ExportResultCode.FAILED });
    expect(isCutShort(ended.error)).toBe(true);
    // Exports after the cut fail at once, without a connection.
    const later = await new Promise<ExportResult>((resolve) => exporter.export([oneSpan()], resolve));
    expect(isCutShort(later.error)).toBe(true);
    for (const socket of sockets) socket.destroy();
    hung.close();
  });
});

/** One ended span, as a span processor gets it. */
function oneSpan(): ReadableSpan {
  const memory = new InMemorySpanExporter();
  new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] }).getTracer('t').startSpan('s').end();
  return memory.getFinishedSpans()[0]!;
}
