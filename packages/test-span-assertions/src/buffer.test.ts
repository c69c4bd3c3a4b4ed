import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { RingBuffer } from './ring-buffer';

describe('bounded buffer', () => {
  it('keeps the newest spans, warns once, and says so in explanations', async () => {
    const warnings: string[] = [];
    const { recorder, tracer, logger, meter } = privateSetup({ maxSpans: 3, maxEvents: 2, maxMeasurements: 2, report: (m) => warnings.push(m) });
    for (let i = 0; i < 5; i++) tracer.startSpan(`s${i}`).end();
    expect(recorder.spans().map((s) => s.name)).toEqual(['s2', 's3', 's4']);
    expect(warnings).toEqual([expect.stringMatching(/span buffer full \(maxSpans 3\); dropping the oldest spans/)]);
    for (let i = 0; i < 3; i++) logger.emit({ eventName: `e${i}` });
    const counter = meter.createCounter('c');
    for (let i = 0; i < 3; i++) counter.add(1);
    expect(recorder.events().map((e) => e.name)).toEqual(['e1', 'e2']);
    expect(recorder.measurements()).toHaveLength(2);
    expect(warnings).toHaveLength(3);
    expect(recorder.droppedCounts).toEqual({ spans: 2, events: 1, measurements: 1 });
    await expect(recorder.waitForSpan('s0', { timeoutMillis: 10 })).rejects.toThrow(/2 older span\(s\) were dropped from the bounded buffer/);
  });

  it('forgets dropped spans in the parent index too', async () => {
    const { recorder, tracer } = privateSetup({ maxSpans: 1, report: () => {} });
    tracer.startActiveSpan('parent', (p) => {
      tracer.startSpan('child').end();
      p.end();
    });
    // only "parent" is kept: its dropped child no longer counts for hasChild
    await expect(recorder.waitForSpan({ name: 'parent', hasChild: 'child' }, { timeoutMillis: 10 })).rejects.toThrow(/no recorded children/);
  });

  it('reset() empties everything', async () => {
    const { recorder, tracer, logger } = privateSetup();
    tracer.startSpan('x').end();
    logger.emit({ eventName: 'y' });
    recorder.reset();
    expect(recorder.spans()).toEqual([]);
    expect(recorder.events()).toEqual([]);
    await expect(recorder.waitForSpan('x', { timeoutMillis: 10 })).rejects.toThrow(/No span has ended/);
  });

  it('RingBuffer validates its capacity', () => {
    expect(() => new RingBuffer(0)).toThrow('@dyntel/test-span-assertions: invalid buffer capacity: 0; expected an integer >= 1');
    const ring = new RingBuffer<number>(2);
    expect([ring.push(1), ring.push(2), ring.push(3)]).toEqual([undefined, undefined, 1]);
    expect(ring.toArray()).toEqual([2, 3]);
  });
});

describe('spans that never end', () => {
  it('are bounded too', async () => {
    const { recorder, tracer } = privateSetup({ maxSpans: 2, report: () => {} });
    for (let i = 0; i < 5; i++) tracer.startSpan(`open-${i}`);
    const error = await recorder.waitForSpan(/open/, { timeoutMillis: 10 }).catch((e: Error) => e);
    expect(String(error)).toMatch(/Started but not ended \(2\)[^\n]*\n {2}- "open-3"\n {2}- "open-4"/);
  });
});
