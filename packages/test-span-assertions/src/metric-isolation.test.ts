import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';

const TESTS = 1_000;

describe('metric waits inside isolate()', () => {
  it(`${TESTS} concurrent isolated tests each resolve on their own measurement only`, async () => {
    const { recorder, meter } = privateSetup({ timeoutMillis: 10_000 });
    const counter = meter.createCounter('jobs');
    const histogram = meter.createHistogram('job.duration');
    const snapshots = await Promise.all(
      Array.from({ length: TESTS }, (_, i) =>
        recorder.isolate(async () => {
          // Tests start their waits at different turns, as real tests do after some work of
          // their own: many start after others have recorded, and record a turn later.
          for (let turn = 0; turn < i % 8; turn++) await new Promise(setImmediate);
          const counted = recorder.waitForMetric('jobs', { atLeast: 1 });
          const timed = recorder.waitForMetric('job.duration', { atLeast: 1 });
          await new Promise(setImmediate);
          // Half the tests tell their measurements apart by an attribute, half record plain ones.
          const attributes = i % 2 ? { test: i } : {};
          counter.add(1, attributes);
          histogram.record(i, attributes);
          return { i, attributes, counted: await counted, timed: await timed };
        }),
      ),
    );
    const foreign = snapshots.filter(
      ({ attributes, counted, timed }) =>
        counted.value !== 1 ||
        timed.value !== 1 ||
        counted.points.length !== 1 ||
        JSON.stringify(counted.points[0]!.attributes) !== JSON.stringify(attributes) ||
        timed.points[0]!.sum !== Number(attributes.test ?? timed.points[0]!.sum),
    );
    expect(foreign.length, `waits that resolved from another test's measurements: ${foreign.slice(0, 3).map((s) => `test ${s.i}: value ${s.counted.value} from ${s.counted.source}`).join(', ')}`).toBe(0);
    for (const { counted } of snapshots) expect(counted.source).toBe('measurements');
  });

  it('outside isolate(), or with scope: "all", a wait sees every measurement', async () => {
    const { recorder, meter } = privateSetup();
    const counter = meter.createCounter('jobs');
    recorder.isolate(() => counter.add(1));
    recorder.isolate(() => counter.add(2));
    await expect(recorder.waitForMetric('jobs', { atLeast: 3 })).resolves.toMatchObject({ value: 3 });
    await expect(recorder.isolate(() => recorder.waitForMetric('jobs', { atLeast: 3, scope: 'all' }))).resolves.toMatchObject({ value: 3 });
  });

  it('observable instruments, which no test causes, are seen by every test', async () => {
    const { recorder, meter } = privateSetup();
    let depth = 0;
    meter.createObservableGauge('queue.depth').addCallback((result) => result.observe(depth));
    depth = 4;
    await expect(recorder.isolate(() => recorder.waitForMetric('queue.depth', { atLeast: 4 }))).resolves.toMatchObject({ value: 4, source: 'collection' });
  });

  it('synchronous measurements read only through the metric reader carry no scope: an isolated wait does not count them, and says so', async () => {
    const { recorder, rawMeter } = privateSetup();
    const counter = rawMeter.createCounter('unwrapped');
    recorder.isolate(() => counter.add(5));
    const error = await recorder.isolate(() => recorder.waitForMetric('unwrapped', { atLeast: 1, timeoutMillis: 50 })).catch((e: Error) => e);
    expect(String(error)).toMatch(/No measurement of "unwrapped" was recorded in this test scope\./);
    expect(String(error)).toMatch(
      /1 point\(s\) of "unwrapped" read through the metric reader were not counted: they add up the measurements of every test\. Record through a wrapped meter provider \(installRecorder\(\), recorder\.captureGlobalMeasurements\(\)\) or wait with \{ scope: "all" \}\./,
    );
    await expect(recorder.isolate(() => recorder.waitForMetric('unwrapped', { atLeast: 5, scope: 'all' }))).resolves.toMatchObject({ value: 5, source: 'collection' });
  });
});
