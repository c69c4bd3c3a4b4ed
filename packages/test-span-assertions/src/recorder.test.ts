import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { WaitTimeoutError, absent, exactly, present, range } from './index';

describe('waitForSpan', () => {
  it('resolves on span end, without polling', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = recorder.waitForSpan('work');
    const span = tracer.startSpan('work');
    span.setAttribute('k', 'v');
    span.end();
    await expect(waiting).resolves.toMatchObject({ name: 'work', attributes: { k: 'v' } });
  });

  it('finds a span that ended before the wait started', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('early').end();
    const span = await recorder.waitForSpan('early');
    expect(span.name).toBe('early');
  });

  it('matches RegExp, predicate and object patterns with value matchers', async () => {
    const { recorder, tracer } = privateSetup();
    const s = tracer.startSpan('circuit_breaker.call b1', { kind: SpanKind.CLIENT, attributes: { n: 3, tag: 'x-1' } });
    s.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    s.end();
    await recorder.waitForSpan(/^circuit_breaker\.call/);
    await recorder.waitForSpan((span) => span.attributes.n === 3);
    await recorder.waitForSpan({
      name: expect.stringMatching(/b1$/),
      kind: 'client',
      status: { code: 'error', message: /bo/ },
      attributes: { n: range({ min: 1, max: 5 }), tag: /^x-/, missing: absent(), other: absent() },
      scope: 'test',
      duration: { min: 0 },
    });
    await recorder.waitForSpan({ attributes: exactly({ n: 3, tag: present() }) });
    await expect(recorder.waitForSpan({ attributes: exactly({ n: 3 }) }, { timeoutMillis: 20 })).rejects.toThrow(/also has tag/);
  });

  it('waits for several spans with count', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('a').end();
    const waiting = recorder.waitForSpans('a', { count: 3 });
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    tracer.startSpan('a').end();
    await expect(waiting).resolves.toHaveLength(3);
  });

  it('rejects bad input with a clear error', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForSpan({ nmae: 'x' } as never)).rejects.toThrow(/invalid span pattern key: "nmae"; expected one of name, kind/);
    await expect(recorder.waitForSpans('x', { count: 0 })).rejects.toThrow('waitForSpans: invalid count: 0; expected an integer >= 1');
    await expect(recorder.waitForSequence([])).rejects.toThrow(/non-empty array/);
    await expect(recorder.waitForSpan({ kind: 'sever' as never })).rejects.toThrow(/invalid span kind: "sever"; expected a SpanKind or one of internal, server/);
    await expect(recorder.waitForSpan('x', { timeoutMillis: -1 })).rejects.toThrow("waitForSpan: invalid timeoutMillis: -1; expected a number of milliseconds > 0 and <= 2147483647, or Infinity for no timeout");
    await expect(recorder.waitForSpan('x', { timeout: 10 } as never)).rejects.toThrow('waitForSpan: invalid option: "timeout"; expected timeoutMillis (the option was renamed)');
  });

  it('fails on timeout with a WaitTimeoutError carrying expected and actual', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('work', { attributes: { outcome: 'success' } }).end();
    const error = await recorder.waitForSpan({ name: 'work', attributes: { outcome: 'failure' } }, { timeoutMillis: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).expected).toBe('name: "work"\nattributes["outcome"]: "failure"');
    expect((error as WaitTimeoutError).actual).toBe('name: "work"\nattributes["outcome"]: "success"');
    // The stack points at this test, not at the timer that fired.
    expect((error as Error).stack).toContain('recorder.test.ts');
  });
});
