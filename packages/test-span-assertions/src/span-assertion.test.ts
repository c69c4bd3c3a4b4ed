import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { assertSpan, matchSpan } from './index';

describe('matchSpan / assertSpan (runner-agnostic toMatchSpan)', () => {
  it('returns the per-field comparison', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('op', { attributes: { a: 1 } }).end();
    const span = await recorder.waitForSpan('op');
    expect(matchSpan(span, { name: 'op', attributes: { a: 2 } })).toMatchObject({ ok: false, diff: '✓ name: "op"\n✗ attributes["a"]: expected 2, got 1' });
    expect(matchSpan(span, 'op').ok).toBe(true);
  });

  it('assertSpan throws a node:assert AssertionError with expected and actual', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('op', { attributes: { a: 1 } }).end();
    const span = await recorder.waitForSpan('op');
    expect(() => assertSpan(span, { attributes: { a: 1 } })).not.toThrow();
    let error: unknown;
    try {
      assertSpan(span, { attributes: { a: 2 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssertionError);
    expect(error).toMatchObject({ expected: 'attributes["a"]: 2', actual: 'attributes["a"]: 1' });
    expect((error as Error).message).toContain('✗ attributes["a"]: expected 2, got 1');
  });

  it('sees relatives through the recorder graph', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startActiveSpan('parent', (p) => {
      tracer.startSpan('child').end();
      p.end();
    });
    const child = await recorder.waitForSpan('child');
    expect(matchSpan(child, { parent: 'parent' }).ok).toBe(false);
    expect(matchSpan(child, { parent: 'parent' }, recorder.graph).ok).toBe(true);
  });

  it('rejects what is not a span', () => {
    expect(() => matchSpan({} as never, 'x')).toThrow("matchSpan: invalid span: {}; expected a span (ReadableSpan)");
  });
});
