import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { prometheusUnitSuffix, withUnitSuffix } from './prometheus-units';

describe('prometheusUnitSuffix', () => {
  it.each([
    ['s', DataPointType.HISTOGRAM, 'seconds'],
    ['ms', DataPointType.HISTOGRAM, 'milliseconds'],
    ['By', DataPointType.SUM, 'bytes'],
    ['By/s', DataPointType.GAUGE, 'bytes_per_second'],
    ['1', DataPointType.GAUGE, 'ratio'],
    ['1', DataPointType.SUM, ''],
    ['{state_change}', DataPointType.SUM, ''],
    ['{connection}', DataPointType.SUM, ''],
    ['', DataPointType.SUM, ''],
    ['widgets', DataPointType.SUM, 'widgets'],
  ])('%s on %s → %s', (unit, type, suffix) => {
    expect(prometheusUnitSuffix(unit, type)).toBe(suffix);
  });
});

describe('withUnitSuffix', () => {
  const metric = (name: string, unit: string, dataPointType = DataPointType.HISTOGRAM) =>
    ({ descriptor: { name, unit, description: '', valueType: 1 }, dataPointType, dataPoints: [], aggregationTemporality: 1 }) as unknown as MetricData;

  it('appends the unit once', () => {
    expect(withUnitSuffix(metric('resilience.circuit_breaker.call.duration', 's')).descriptor.name).toBe('resilience.circuit_breaker.call.duration_seconds');
    expect(withUnitSuffix(metric('process.cpu.time_seconds', 's')).descriptor.name).toBe('process.cpu.time_seconds');
  });

  it('leaves annotation-only units and the original metric alone', () => {
    const original = metric('resilience.circuit_breaker.state_changes', '{state_change}', DataPointType.SUM);
    expect(withUnitSuffix(original)).toBe(original);
    const timed = metric('x.duration', 's');
    withUnitSuffix(timed);
    expect(timed.descriptor.name).toBe('x.duration');
  });
});
