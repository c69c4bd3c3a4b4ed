import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';

describe('refuteSpan', () => {
  it('passes the moment the until span arrives, with no fixed window', async () => {
    const { recorder, tracer } = privateSetup();
    const refuting = recorder.refuteSpan('fallback', { until: 'done', timeoutMillis: 60_000 });
    tracer.startSpan('work').end();
    tracer.startSpan('done').end();
    await expect(refuting).resolves.toBeUndefined();
  });

  it('fails at the first match, long before its timeout', async () => {
    const { recorder, tracer } = privateSetup();
    const refuting = recorder.refuteSpan({ name: 'fallback' }, { until: 'done', timeoutMillis: 60_000 });
    tracer.startSpan('fallback', { attributes: { reason: 'open' } }).end();
    tracer.startSpan('done').end();
    await expect(refuting).rejects.toThrow(/a span that must not happen was recorded[\s\S]*"fallback" \{ reason: "open" \}[\s\S]*before the until pattern "done"/);
    await expect(refuting).rejects.toMatchObject({ reason: 'refuted' });
  });

  it('fails at once when the refuted span was recorded before the call', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('fallback').end();
    await expect(recorder.refuteSpan('fallback', { until: new Promise(() => {}), timeoutMillis: 60_000 })).rejects.toThrow(/must not happen/);
  });

  it('accepts a promise as until, and propagates its rejection', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.refuteSpan('fallback', { until: Promise.resolve('finished') })).resolves.toBeUndefined();
    await expect(recorder.refuteSpan('fallback', { until: Promise.reject(new Error('work failed')) })).rejects.toThrow('work failed');
  });

  it('without until, passes when the timeout window closes', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.refuteSpan('fallback', { timeoutMillis: 10 })).resolves.toBeUndefined();
  });

  it('explains an until that never arrived', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('don').end();
    await expect(recorder.refuteSpan('fallback', { until: 'done', timeoutMillis: 10 })).rejects.toThrow(
      /refuteSpan timed out after 10 ms waiting for the until pattern "done"; no refuted span was seen[\s\S]*✗ name: expected "done", got "don"/,
    );
  });
});
