import { afterEach, describe, expect, it } from 'vitest';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createRecorder } from '@dyntel/test-span-assertions';
import { collectPoints } from './metric-points';

describe('collectPoints', () => {
  const recorder = createRecorder();
  const provider = new MeterProvider({ readers: [recorder.metricReader] });
  const meter = provider.getMeter('metric-points-test');
  afterEach(() => provider.shutdown());

  it('flattens counters, up-down counters and histograms, and filters by name', async () => {
    meter.createCounter('test.calls').add(2, { outcome: 'success' });
    meter.createUpDownCounter('test.level').add(-3);
    meter.createHistogram('test.duration', { advice: { explicitBucketBoundaries: [0.1, 1] } }).record(0.5, { outcome: 'failure' });

    expect(await collectPoints(recorder.metricReader)).toEqual([
      { name: 'test.calls', attributes: { outcome: 'success' }, value: 2 },
      { name: 'test.level', attributes: {}, value: -3 },
      { name: 'test.duration', attributes: { outcome: 'failure' }, value: 1, sum: 0.5, boundaries: [0.1, 1] },
    ]);
    expect(await collectPoints(recorder.metricReader, 'test.level')).toEqual([{ name: 'test.level', attributes: {}, value: -3 }]);
  });
});
