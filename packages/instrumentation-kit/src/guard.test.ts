import { diag, DiagLogLevel, metrics, type DiagLogger, type MeterProvider } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider as SdkMeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { METRIC_INSTRUMENTATION_ERRORS } from '@dyntel/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import { reportInstrumentationError, safely } from './guard';

function captureDiag(): string[] {
  const lines: string[] = [];
  const log = (message: string) => lines.push(message);
  const logger: DiagLogger = { error: log, warn: log, info: log, debug: log, verbose: log };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
  return lines;
}

describe('safely', () => {
  afterEach(() => diag.disable());

  it('returns the function result', () => {
    expect(safely('ok', () => 7)).toBe(7);
  });

  it('catches, reports through diag and returns the fallback', () => {
    const lines = captureDiag();
    const result = safely('test hook', () => {
      throw new Error('broken meter');
    }, 'fallback');
    expect(result).toBe('fallback');
    expect(lines).toEqual([expect.stringContaining('dyntel: test hook failed (occurrence 1)')]);
  });

  it('does not flood the log when a hook fails on every call', () => {
    const lines = captureDiag();
    for (let i = 0; i < 2500; i++) {
      safely('hot path hook', () => {
        throw new Error('x');
      });
    }
    // five in full, then the 1000th and the 2000th
    expect(lines).toHaveLength(7);
  });
});

describe('reportInstrumentationError', () => {
  afterEach(() => {
    metrics.disable();
    diag.disable();
  });

  /** The faults counted on the global meter provider, by error.type. */
  async function countedFaults(reader: PeriodicExportingMetricReader, exporter: InMemoryMetricExporter): Promise<Record<string, number>> {
    await reader.forceFlush();
    const counted: Record<string, number> = {};
    for (const { scopeMetrics } of exporter.getMetrics()) {
      for (const metric of scopeMetrics.flatMap((scope) => scope.metrics)) {
        if (metric.descriptor.name !== METRIC_INSTRUMENTATION_ERRORS) continue;
        for (const point of metric.dataPoints) counted[String(point.attributes['error.type'])] = point.value as number;
      }
    }
    return counted;
  }

  it('counts each fault on dyntel.instrumentation.errors of the global meter provider, by error type, also when it was registered after an earlier fault', async () => {
    captureDiag();
    reportInstrumentationError('before any SDK', new RangeError('lost'));
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 2 ** 30 });
    metrics.setGlobalMeterProvider(new SdkMeterProvider({ readers: [reader] }));
    reportInstrumentationError('a hook', new TypeError('hook threw'));
    reportInstrumentationError('a hook', new TypeError('hook threw again'));
    reportInstrumentationError('a provider', Object.assign(new Error('down'), { code: 'EPROVIDER' }));
    expect(await countedFaults(reader, exporter)).toEqual({ TypeError: 2, EPROVIDER: 1 });
  });

  it('never throws when the meter provider itself is broken', () => {
    const lines = captureDiag();
    const broken = {
      getMeter: () => {
        throw new Error('broken meter provider');
      },
    } as unknown as MeterProvider;
    metrics.setGlobalMeterProvider(broken);
    expect(() => reportInstrumentationError('a hook', new Error('hook threw'))).not.toThrow();
    expect(lines).toEqual([expect.stringContaining('dyntel: a hook failed')]);
  });
});
