import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';

function ended(tracer: ReturnType<typeof privateSetup>['tracer'], ...names: string[]) {
  for (const name of names) tracer.startSpan(name).end();
}

describe('waitForSequence', () => {
  it('subsequence (default) allows other spans between steps and sees steps that ended before the call', async () => {
    const { recorder, tracer } = privateSetup();
    ended(tracer, 'a', 'noise');
    const waiting = recorder.waitForSequence(['a', 'b', 'c']);
    ended(tracer, 'b', 'noise', 'c');
    const spans = await waiting;
    expect(spans.map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  it('subsequence does not accept steps out of order', async () => {
    const { recorder, tracer } = privateSetup();
    ended(tracer, 'b', 'a');
    await expect(recorder.waitForSequence(['a', 'b'], { timeoutMillis: 20 })).rejects.toThrow(/matched 1 of 2 steps: "a"/);
  });

  it('loses nothing between steps: both steps ending in one synchronous burst still match', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = recorder.waitForSequence(['first', 'second']);
    ended(tracer, 'first', 'second');
    await expect(waiting).resolves.toHaveLength(2);
  });

  it('contiguous requires nothing between the steps', async () => {
    const { recorder, tracer } = privateSetup();
    ended(tracer, 'a', 'x', 'b');
    const waiting = recorder.waitForSequence(['a', 'b'], { mode: 'contiguous' });
    const timeout = recorder.waitForSequence(['a', 'b'], { mode: 'contiguous', timeoutMillis: 20 });
    await expect(timeout).rejects.toThrow(/contiguous, by end\): matched 1 of 2/);
    ended(tracer, 'a', 'b');
    await expect(waiting).resolves.toHaveLength(2);
  });

  it('exact requires the whole recorded stream and fails fast once it cannot match', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = recorder.waitForSequence(['a', 'b'], { mode: 'exact' });
    ended(tracer, 'a', 'b');
    await expect(waiting).resolves.toHaveLength(2);

    recorder.reset();
    const failing = recorder.waitForSequence(['a', 'b'], { mode: 'exact', timeoutMillis: 60_000 });
    ended(tracer, 'a', 'c');
    await expect(failing).rejects.toThrow(/can no longer succeed: in exact mode/);
    await expect(failing).rejects.toMatchObject({ name: 'WaitTimeoutError', reason: 'impossible' });
  });

  it('orders by start with recorded sequence numbers when asked', async () => {
    const { recorder, tracer } = privateSetup();
    // parent starts first but ends last
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', {}, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();
    await expect(recorder.waitForSequence(['parent', 'child'], { by: 'start' })).resolves.toHaveLength(2);
    await expect(recorder.waitForSequence(['child', 'parent'], { by: 'end' })).resolves.toHaveLength(2);
    await expect(recorder.waitForSequence(['parent', 'child'], { by: 'end', timeoutMillis: 20 })).rejects.toThrow(/timed out/);
  });

  it('rejects invalid modes clearly', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForSequence(['a'], { mode: 'loose' as never })).rejects.toThrow(
      `waitForSequence: invalid mode: "loose"; expected 'subsequence', 'contiguous' or 'exact'`,
    );
  });
});

describe('waitForAny / waitForAll', () => {
  it('waitForAny resolves with the first match and its index', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = recorder.waitForAny(['x', 'y']);
    ended(tracer, 'noise', 'y', 'x');
    await expect(waiting).resolves.toMatchObject({ index: 1, span: { name: 'y' } });
  });

  it('waitForAll resolves once every pattern has a distinct span, in any order', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('op', { attributes: { n: 1 } }).end();
    // both patterns accept n=1, only the second accepts n=2: the assignment must not be greedy
    const waiting = recorder.waitForAll([{ name: 'op' }, { name: 'op', attributes: { n: 1 } }]);
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise(setImmediate); // lets an already-settled wait run its callbacks
    expect(settled).toBe(false);
    tracer.startSpan('op', { attributes: { n: 2 } }).end();
    const [any, one] = await waiting;
    expect(one!.attributes.n).toBe(1);
    expect(any!.attributes.n).toBe(2);
  });

  it('waitForAll explains which patterns are missing', async () => {
    const { recorder, tracer } = privateSetup();
    ended(tracer, 'a');
    await expect(recorder.waitForAll(['a', 'b'], { timeoutMillis: 20 })).rejects.toThrow(/Matched 1 of 2: ✓ \[0\] ✗ \[1\]/);
  });
});

describe('waitForTrace and structural patterns', () => {
  function tree(tracer: ReturnType<typeof privateSetup>['tracer']) {
    tracer.startActiveSpan('retry.call r', (call) => {
      tracer.startActiveSpan('retry.attempt r', { attributes: { attempt: 1 } }, (a) => {
        tracer.startSpan('db.query').end();
        a.end();
      });
      tracer.startActiveSpan('retry.attempt r', { attributes: { attempt: 2 } }, (a) => a.end());
      call.end();
    });
  }

  it('matches a parent/children tree with distinct children', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = recorder.waitForTrace({
      name: 'retry.call r',
      parent: null,
      children: [{ name: 'retry.attempt r', attributes: { attempt: 2 } }, { name: 'retry.attempt r', children: ['db.query'] }],
    });
    tree(tracer);
    const match = await waiting;
    expect(match.root.name).toBe('retry.call r');
    expect(match.spans.map((s) => s.name)).toEqual(['retry.call r', 'retry.attempt r', 'retry.attempt r', 'db.query']);
  });

  it('parent, ancestor and hasChild patterns', async () => {
    const { recorder, tracer } = privateSetup();
    tree(tracer);
    await recorder.waitForSpan({ name: 'db.query', parent: { name: 'retry.attempt r' }, ancestor: 'retry.call r' });
    await recorder.waitForSpan({ name: 'retry.call r', parent: null, hasChild: { attributes: { attempt: 2 } } });
    await expect(recorder.waitForSpan({ name: 'db.query', parent: null }, { timeoutMillis: 20 })).rejects.toThrow(/✗ parent: expected null \(a root span\)/);
  });

  it('a child whose parent is still running matches a parent pattern at once', async () => {
    const { recorder, tracer } = privateSetup();
    const parent = tracer.startSpan('long');
    tracer.startSpan('child', {}, trace.setSpan(context.active(), parent)).end();
    await expect(recorder.waitForSpan({ name: 'child', parent: 'long' })).resolves.toBeDefined();
    parent.end();
  });

  it('a trace that is not there yet explains the root', async () => {
    const { recorder, tracer } = privateSetup();
    ended(tracer, 'retry.call r');
    await expect(recorder.waitForTrace({ name: 'retry.call r', children: ['retry.attempt r'] }, { timeoutMillis: 20 })).rejects.toThrow(
      /The tree below the root did not match/,
    );
  });
});
