import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import type { AsymmetricMatcher } from './values';

const boom = new Error('boom');
/** An asymmetric matcher that throws whenever it is asked, as a buggy custom matcher does. */
const throwing: AsymmetricMatcher = {
  asymmetricMatch() {
    throw boom;
  },
};

/** The error a wait with a throwing matcher must fail with: named, carrying the matcher's error. */
function matcherFailure(label: string) {
  return expect.objectContaining({ message: expect.stringMatching(new RegExp(`^${label}\\b[^\\n]*boom`)), cause: boom });
}

/** Twenty correct waits, each for its own span, all ended after `bad` started. */
async function twentyGoodWaits(setup: ReturnType<typeof privateSetup>): Promise<void> {
  const { recorder, tracer } = setup;
  const waits = Array.from({ length: 20 }, (_, i) => recorder.waitForSpan(`good ${i}`));
  for (let i = 0; i < 20; i++) tracer.startSpan(`good ${i}`).end();
  const spans = await Promise.all(waits);
  expect(spans.map((s) => s.name)).toEqual(Array.from({ length: 20 }, (_, i) => `good ${i}`));
}

describe('a matcher that throws fails its own wait and no other', () => {
  it('a span wait pending when the matcher throws rejects with the matcher error; later waits resolve', async () => {
    const setup = privateSetup();
    const bad = setup.recorder.waitForSpan({ name: expect.toSatisfy(() => { throw boom; }) });
    setup.tracer.startSpan('anything').end();
    await expect(bad).rejects.toEqual(matcherFailure('waitForSpan'));
    await twentyGoodWaits(setup);
  });

  it('a custom asymmetric matcher in attributes, already recorded span: rejects at once', async () => {
    const setup = privateSetup();
    setup.tracer.startSpan('x', { attributes: { a: 1 } }).end();
    await expect(setup.recorder.waitForSpans({ attributes: { a: throwing } }, { count: 2 })).rejects.toEqual(matcherFailure('waitForSpans'));
    await twentyGoodWaits(setup);
  });

  it('every kind of wait: events, metrics, sequences, any, all, traces, refutations', async () => {
    const setup = privateSetup();
    const { recorder, tracer, meter, logger } = setup;
    const bad = [
      ['waitForEvent', recorder.waitForEvent({ attributes: { a: throwing } })],
      ['waitForMetric', recorder.waitForMetric('m', { where: { a: throwing } })],
      ['waitForSequence', recorder.waitForSequence([{ name: throwing }, 'first'])],
      ['waitForAny', recorder.waitForAny([{ name: throwing }])],
      ['waitForAll', recorder.waitForAll([{ name: throwing }])],
      ['waitForTrace', recorder.waitForTrace({ name: 'first', children: [{ name: throwing }] })],
      ['refuteSpan', recorder.refuteSpan({ attributes: { a: throwing } }, { until: 'never' })],
    ] as const;
    logger.emit({ eventName: 'e', attributes: { a: 1 } });
    meter.createCounter('m').add(1, { a: 1 });
    tracer.startActiveSpan('first', (span) => {
      tracer.startSpan('child', { attributes: { a: 1 } }).end();
      span.end();
    });
    for (const [label, wait] of bad) await expect(wait, label).rejects.toEqual(matcherFailure(label));
    await twentyGoodWaits(setup);
    const events = Array.from({ length: 5 }, (_, i) => recorder.waitForEvent(`ok ${i}`));
    for (let i = 0; i < 5; i++) logger.emit({ eventName: `ok ${i}` });
    await expect(Promise.all(events)).resolves.toHaveLength(5);
    const metric = recorder.waitForMetric('m2', { atLeast: 1 });
    meter.createCounter('m2').add(1);
    await expect(metric).resolves.toMatchObject({ value: 1 });
  });

  it('a predicate that throws does not match, and the timeout explanation shows what it threw', async () => {
    const setup = privateSetup();
    setup.tracer.startSpan('x').end();
    setup.logger.emit({ eventName: 'e' });
    const thrower = (): boolean => {
      throw boom;
    };
    await expect(setup.recorder.waitForSpan({ name: 'x', where: thrower }, { timeoutMillis: 5 })).rejects.toThrow(/✗ where: expected \[predicate thrower\], got threw Error: "boom"/);
    await expect(setup.recorder.waitForEvent(thrower, { timeoutMillis: 5 })).rejects.toThrow(/✗ predicate: expected \[predicate thrower\], got threw Error: "boom"/);
    await twentyGoodWaits(setup);
  });

  it('a matcher that only throws while the timeout explanation is built rejects that wait with its error', async () => {
    const setup = privateSetup();
    const describesBadly: AsymmetricMatcher = {
      asymmetricMatch: () => false,
      toAsymmetricMatcher() {
        throw boom;
      },
    };
    setup.tracer.startSpan('x').end();
    await expect(setup.recorder.waitForSpan({ name: describesBadly }, { timeoutMillis: 5 })).rejects.toEqual(matcherFailure('waitForSpan'));
    await twentyGoodWaits(setup);
  });
});
