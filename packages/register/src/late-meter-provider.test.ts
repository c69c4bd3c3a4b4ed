import { MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { LateMeterProvider } from './late-meter-provider';

class Reader extends MetricReader {
  protected onForceFlush = () => Promise.resolve();
  protected onShutdown = () => Promise.resolve();

  /** Every data point collected now, by metric name. */
  async points(): Promise<Record<string, Array<{ value: unknown; attributes: unknown }>>> {
    const { resourceMetrics } = await this.collect();
    const out: Record<string, Array<{ value: unknown; attributes: unknown }>> = {};
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        out[metric.descriptor.name] = (metric.dataPoints as Array<DataPoint<unknown>>).map((p) => ({ value: p.value, attributes: p.attributes }));
      }
    }
    return out;
  }
}

describe('LateMeterProvider', () => {
  it('replays what was created and recorded before attach on the real provider, then forwards', async () => {
    const recorded: unknown[] = [];
    const late = new LateMeterProvider((...call) => recorded.push(call));
    const meter = late.getMeter('scope');
    const counter = meter.createCounter('c');
    const upDown = meter.createUpDownCounter('u');
    const histogram = meter.createHistogram('h');
    const gauge = meter.createGauge('g');
    const observable = meter.createObservableUpDownCounter('o');
    const batched = meter.createObservableGauge('b');
    counter.add(2, { k: 'v' });
    upDown.add(5);
    histogram.record(1);
    gauge.record(7);
    let observed = 3;
    observable.addCallback((result) => result.observe(observed));
    const batch = (result: { observe(o: typeof batched, value: number): void }) => result.observe(batched, observed * 3);
    meter.addBatchObservableCallback(batch, [batched]);

    const reader = new Reader();
    late.attach(new MeterProvider({ readers: [reader] }));
    counter.add(1, { k: 'v' });
    observed = 4;
    expect(await reader.points()).toMatchObject({
      c: [{ value: 3, attributes: { k: 'v' } }],
      u: [{ value: 5 }],
      h: [{ value: { count: 1 } }],
      g: [{ value: 7 }],
      o: [{ value: 4 }],
      b: [{ value: 12 }],
    });
    expect(recorded).toEqual([
      ['c', 2, { k: 'v' }],
      ['u', 5, undefined],
      ['h', 1, undefined],
      ['g', 7, undefined],
      ['c', 1, { k: 'v' }],
    ]);

    meter.removeBatchObservableCallback(batch, [batched]);
    observed = 5;
    const after = await reader.points();
    expect(after.o).toMatchObject([{ value: 5 }]);
    expect(after.b?.map((p) => p.value)).not.toContain(15);
  });

  it('keeps the first provider it is attached to', async () => {
    const late = new LateMeterProvider();
    const first = new Reader();
    late.attach(new MeterProvider({ readers: [first] }));
    late.attach(new MeterProvider({ readers: [new Reader()] }));
    late.getMeter('scope').createCounter('c').add(1);
    expect(await first.points()).toMatchObject({ c: [{ value: 1 }] });
  });
});
