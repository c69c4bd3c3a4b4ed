import { SpanKind, context, trace } from '@opentelemetry/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAsyncLocalStorageContext } from './context-manager.ts';
import { UNSAMPLED_PARENT, benchSdk, runIn } from './sdk-configuration.ts';

describe('benchSdk', () => {
  it('gives no tracer provider for metrics only', () => {
    expect(benchSdk('metrics only').tracerProvider).toBeUndefined();
  });

  it('drops spans for the unsampled configurations and records them when sampled', () => {
    const recording = (configuration: Parameters<typeof benchSdk>[0]) =>
      benchSdk(configuration).tracerProvider!.getTracer('t').startSpan('s', { kind: SpanKind.INTERNAL }).isRecording();
    expect(recording('unsampled root')).toBe(false);
    expect(recording('under an unsampled parent')).toBe(false);
    expect(recording('sampled')).toBe(true);
  });

  it('records metrics that only the idle reader collects', async () => {
    const { meterProvider, metricReader } = benchSdk('metrics only');
    meterProvider.getMeter('m').createCounter('calls').add(1);
    const { resourceMetrics } = await metricReader.collect();
    expect(resourceMetrics.scopeMetrics[0]!.metrics[0]!.descriptor.name).toBe('calls');
  });
});

describe('runIn', () => {
  beforeAll(useAsyncLocalStorageContext);

  it('runs under the unsampled parent only for that configuration', () => {
    const parentSpanId = trace.getSpanContext(UNSAMPLED_PARENT)!.spanId;
    expect(runIn('under an unsampled parent', () => trace.getSpanContext(context.active())?.spanId)).toBe(parentSpanId);
    expect(runIn('unsampled root', () => trace.getSpanContext(context.active()))).toBeUndefined();
  });
});
