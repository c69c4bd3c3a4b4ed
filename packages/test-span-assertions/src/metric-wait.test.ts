import { context } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';

describe('waitForMetric', () => {
  it('resolves on the synchronous measurement itself', async () => {
    const { recorder, meter } = privateSetup();
    const histogram = meter.createHistogram('call.duration', { unit: 's' });
    const waiting = recorder.waitForMetric('call.duration', { where: { outcome: 'failure' }, atLeast: 2 });
    histogram.record(0.1, { outcome: 'failure' });
    histogram.record(0.2, { outcome: 'success' });
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise(setImmediate); // lets an already-settled wait run its callbacks
    expect(settled).toBe(false);
    histogram.record(0.3, { outcome: 'failure' });
    const snapshot = await waiting;
    expect(snapshot).toMatchObject({ value: 2, source: 'measurements', points: [{ attributes: { outcome: 'failure' }, count: 2 }] });
    expect(snapshot.points[0]!.sum).toBeCloseTo(0.4);
  });

  it('counters add up, gauges keep the last value, atMost and predicate work', async () => {
    const { recorder, meter } = privateSetup();
    const counter = meter.createCounter('changes');
    counter.add(1, { state: 'open' });
    counter.add(2, { state: 'open' });
    await expect(recorder.waitForMetric('changes', { atLeast: 3 })).resolves.toMatchObject({ value: 3 });
    const gauge = meter.createGauge('level');
    gauge.record(5);
    gauge.record(2);
    await expect(recorder.waitForMetric('level', { atMost: 2 })).resolves.toMatchObject({ value: 2 });
    await expect(recorder.waitForMetric('level', { predicate: (s) => s.points.length === 1 })).resolves.toBeDefined();
    // The predicate and the caller see exactly the snapshot, nothing internal.
    const seen: object[] = [];
    const snapshot = await recorder.waitForMetric('level', { predicate: (s) => seen.push(s) > 0 });
    for (const s of [snapshot, ...seen]) expect(Object.keys(s).sort()).toEqual(['name', 'points', 'source', 'value']);
  });

  it('collects observable instruments through the metric reader', async () => {
    const { recorder, rawMeter, tracer } = privateSetup();
    let state = 'closed';
    rawMeter.createObservableUpDownCounter('status').addCallback((result) => {
      for (const s of ['closed', 'open']) result.observe(s === state ? 1 : 0, { state: s });
    });
    const waiting = recorder.waitForMetric('status', { where: { state: 'open' }, atLeast: 1 });
    // The state changes, then some telemetry arrives: that is when the reader is collected again.
    state = 'open';
    tracer.startSpan('anything').end();
    await expect(waiting).resolves.toMatchObject({ value: 1, source: 'collection' });
  });

  it("collects observable instruments again on another metric's measurement", async () => {
    const { recorder, rawMeter, meter } = privateSetup();
    let queued = 0;
    rawMeter.createObservableUpDownCounter('queue.length').addCallback((result) => result.observe(queued));
    const waiting = recorder.waitForMetric('queue.length', { atLeast: 2 });
    // What moves an observed value usually records something else at the same moment.
    queued = 2;
    meter.createHistogram('queue.wait').record(0.1);
    await expect(waiting).resolves.toMatchObject({ value: 2, source: 'collection' });
  });

  it('inside an isolated scope, ignores measurements of another scope', async () => {
    const { recorder, meter } = privateSetup();
    const gauge = meter.createGauge('queue.depth');
    const [waiting, own] = recorder.isolate(() => [recorder.waitForMetric('queue.depth', { atMost: 0 }), context.active()] as const);
    let settled = false;
    void waiting.then(() => (settled = true));
    // Let the collection the wait starts with finish first: this is about measurements.
    await new Promise(setImmediate);
    expect(settled).toBe(false);
    recorder.isolate(() => gauge.record(0));
    await new Promise(setImmediate);
    expect(settled).toBe(false);
    // The waiting scope's own measurement resolves it.
    context.with(own, () => gauge.record(0));
    await expect(waiting).resolves.toMatchObject({ value: 0, source: 'measurements', points: [{ value: 0 }] });
  });

  it('explains a metric that never reached the condition, and names the metrics that were recorded', async () => {
    const { recorder, meter } = privateSetup();
    meter.createCounter('changes').add(1, { state: 'open' });
    await expect(recorder.waitForMetric('changes', { where: { state: 'closed' }, atLeast: 1, timeoutMillis: 20 })).rejects.toThrow(
      /Expected metric "changes" where attributes: \{ "state": "closed" \} to reach value >= 1\.\n\nLatest value 0 from 0 matching point\(s\) \(measurements\)\.\n {2}✗ \{ state: "open" \} = 1 \(does not match where\)/,
    );
    await expect(recorder.waitForMetric('chanegs', { timeoutMillis: 20 })).rejects.toThrow(/Metrics that were recorded: changes/);
  });

  it('validates its input', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForMetric('', {})).rejects.toThrow('waitForMetric: invalid metric name: ""; expected a non-empty string');
    await expect(recorder.waitForMetric('x', { atLeast: '1' as never })).rejects.toThrow('waitForMetric: invalid atLeast: "1"; expected a number');
  });
});
