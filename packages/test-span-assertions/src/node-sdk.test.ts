import { logs, metrics, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecorder, installRecorder } from './index';

// The documented way to use the recorder with an SDK setup of your own.
const recorder = createRecorder({ timeoutMillis: 2_000 });
const sdk = new NodeSDK({
  spanProcessors: [recorder.spanProcessor],
  metricReaders: [recorder.metricReader],
  logRecordProcessors: [recorder.logRecordProcessor],
  instrumentations: [],
  resourceDetectors: [],
  serviceName: 'plugged-in',
});

// Taken before captureGlobalMeasurements() wraps the global provider (tests may run in any order).
let unwrappedMeter: ReturnType<typeof metrics.getMeter>;
beforeAll(() => {
  sdk.start();
  unwrappedMeter = metrics.getMeterProvider().getMeter('app');
});
afterAll(() => sdk.shutdown());

describe('plugged into NodeSDK', () => {
  it('records spans (with the SDK resource) and event log records', async () => {
    trace.getTracer('app').startActiveSpan('handle', (span) => {
      logs.getLogger('app').emit({ eventName: 'handled' });
      span.end();
    });
    await recorder.waitForSpan({ name: 'handle', resource: { 'service.name': 'plugged-in' } });
    await recorder.waitForEvent({ name: 'handled', source: 'log' });
  });

  it('reads synchronous metrics through the metric reader when they are not wrapped', async () => {
    const counter = unwrappedMeter.createCounter('requests');
    const waiting = recorder.waitForMetric('requests', { atLeast: 2 });
    counter.add(2);
    // The reader is collected again when other telemetry arrives.
    trace.getTracer('app').startSpan('tick').end();
    await expect(waiting).resolves.toMatchObject({ value: 2, source: 'collection' });
  });

  it('captureGlobalMeasurements() makes metric waits resolve on the measurement', async () => {
    recorder.captureGlobalMeasurements();
    recorder.captureGlobalMeasurements(); // idempotent: measurements are not reported twice
    const histogram = metrics.getMeter('app').createHistogram('latency');
    const waiting = recorder.waitForMetric('latency', { atLeast: 1 });
    histogram.record(0.5);
    await expect(waiting).resolves.toMatchObject({ value: 1, source: 'measurements' });
    expect(recorder.measurements().filter((m) => m.name === 'latency')).toHaveLength(1);
  });

  it('installRecorder() refuses to replace the SDK and says how to plug in', () => {
    expect(() => installRecorder()).toThrow(
      /already registered \(by NodeSDK, @dyntel\/register or another setup\)[\s\S]*const recorder = createRecorder\(\); new NodeSDK\(\{ spanProcessors: \[recorder.spanProcessor\]/,
    );
  });
});
