import { expect, it } from 'vitest';
import { histogramCount } from './histogram-count.ts';
import { benchSdk } from './sdk-configuration.ts';

it('histogramCount adds up the measurements of every series of one histogram', async () => {
  const { meterProvider, metricReader } = benchSdk('metrics only');
  const meter = meterProvider.getMeter('m');
  const duration = meter.createHistogram('call.duration');
  duration.record(1, { outcome: 'success' });
  duration.record(2, { outcome: 'success' });
  duration.record(3, { outcome: 'failure' });
  meter.createHistogram('other.duration').record(1);
  expect(await histogramCount(metricReader, 'call.duration')).toBe(3);
  expect(await histogramCount(metricReader, 'missing')).toBe(0);
});
