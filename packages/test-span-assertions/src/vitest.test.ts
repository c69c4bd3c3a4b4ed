import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import './vitest';

describe('vitest matchers', () => {
  it('toEmitSpan waits for the span; a timeout fails the expectation with the explanation', async () => {
    const { recorder, tracer } = privateSetup();
    setImmediate(() => tracer.startSpan('later', { attributes: { ok: true } }).end());
    await expect(recorder).toEmitSpan({ name: 'later', attributes: { ok: true } });
    await expect(expect(recorder).toEmitSpan('missing', { timeoutMillis: 10 })).rejects.toThrow(/waitForSpan timed out after 10 ms[\s\S]*✗ name: expected "missing", got "later"/);
  });

  it('.not.toEmitSpan refutes until the until span arrives', async () => {
    const { recorder, tracer } = privateSetup();
    setImmediate(() => tracer.startSpan('done').end());
    await expect(recorder).not.toEmitSpan('fallback', { until: 'done' });
    const failing = expect(recorder).not.toEmitSpan('fallback', { until: 'done2', timeoutMillis: 60_000 });
    tracer.startSpan('fallback').end();
    await expect(failing).rejects.toThrow(/a span that must not happen was recorded/);
  });

  it('toEmitSpanSequence and toEmitEvent', async () => {
    const { recorder, tracer, logger } = privateSetup();
    setImmediate(() => {
      tracer.startSpan('open').end();
      tracer.startSpan('close').end();
      logger.emit({ eventName: 'closed' });
    });
    await expect(recorder).toEmitSpanSequence(['open', 'close'], { mode: 'contiguous' });
    await expect(recorder).toEmitEvent({ name: 'closed', source: 'log' });
  });

  it('toMatchSpan checks one span synchronously with a per-field diff', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('op', { attributes: { a: 1 } }).end();
    const span = await recorder.waitForSpan('op');
    expect(span).toMatchSpan({ name: 'op', attributes: { a: 1 } });
    expect(span).not.toMatchSpan({ attributes: { a: 2 } });
    expect(() => expect(span).toMatchSpan({ name: 'op', attributes: { a: 2 } })).toThrow(/✓ name: "op"\n {2}✗ attributes\["a"\]: expected 2, got 1/);
  });

  it('rejects a received value that is not a recorder', async () => {
    await expect(expect({}).toEmitSpan('x')).rejects.toThrow(/toEmitSpan: invalid recorder: \{\}; expected a Recorder/);
  });
});
