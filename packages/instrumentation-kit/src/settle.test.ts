import { describe, expect, it } from 'vitest';
import { observeSettled, observeThenable, settle } from './settle';

type Seen = [string, boolean, unknown];

function listener(seen: Seen[]) {
  return (operation: string, rejected: boolean, settled: unknown) => seen.push([operation, rejected, settled]);
}

describe('settle', () => {
  it('returns a value as it is and settles at once', () => {
    const seen: Seen[] = [];
    const value = { answer: 42 };
    expect(settle('op', value, listener(seen))).toBe(value);
    expect(seen).toEqual([['op', false, value]]);
  });

  it('never calls then() on a thenable that is not a promise: it is returned untouched', () => {
    const seen: Seen[] = [];
    let thenCalls = 0;
    const lazy = { then: () => thenCalls++ };
    expect(settle('op', lazy, listener(seen))).toBe(lazy);
    expect(thenCalls).toBe(0);
    expect(seen).toEqual([['op', false, lazy]]);
  });

  it('tells how a promise settled and passes its value and error on', async () => {
    const seen: Seen[] = [];
    await expect(settle('ok', Promise.resolve(1), listener(seen))).resolves.toBe(1);
    const error = new Error('down');
    await expect(settle('failed', Promise.reject(error), listener(seen))).rejects.toBe(error);
    expect(seen).toEqual([
      ['ok', false, 1],
      ['failed', true, error],
    ]);
  });

  it('gives every operation that shares a promise the same returned promise, and tells each', async () => {
    const seen: Seen[] = [];
    let resolve!: (value: string) => void;
    const shared = new Promise<string>((r) => (resolve = r));
    const first = settle('first', shared, listener(seen), true);
    const second = settle('second', shared, listener(seen), true);
    expect(second).toBe(first);
    expect(seen).toEqual([]);
    resolve('done');
    await expect(first).resolves.toBe('done');
    expect(seen).toEqual([
      ['first', false, 'done'],
      ['second', false, 'done'],
    ]);
    // A later operation on the settled promise (a cache hit) is told at once.
    expect(settle('third', shared, listener(seen), true)).toBe(first);
    expect(seen.at(-1)).toEqual(['third', false, 'done']);
  });

  it('derives a new promise per operation unless shareable', () => {
    const promise = Promise.resolve(1);
    expect(settle('a', promise, () => {})).not.toBe(settle('b', promise, () => {}));
  });
});

describe('observeSettled', () => {
  it('tells how the promise settled, in the checkpoint where it settled, and never rejects itself, whatever the listener does', async () => {
    const seen: Seen[] = [];
    const error = new Error('down');
    const rejected = Promise.reject(error);
    // The library's own handler, which the side branch sits beside.
    const handled = rejected.catch(() => 'handled');
    observeSettled(Promise.resolve(1), 'ok', listener(seen));
    observeSettled(rejected, 'failed', listener(seen));
    observeSettled(Promise.resolve(2), 'throws', () => {
      throw new Error('listener fault');
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    await handled;
    expect(seen).toEqual([
      ['ok', false, 1],
      ['failed', true, error],
    ]);
    // Unhandled rejections are reported after the microtasks drain: wait for a macrotask turn.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});

describe('observeThenable', () => {
  /** A thenable that counts how often its `then` runs, as a query builder would run its query. */
  function deferred() {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    let thens = 0;
    const thenable = {
      then(onFulfilled?: ((value: unknown) => unknown) | null, onRejected?: ((error: unknown) => unknown) | null) {
        thens += 1;
        return promise.then(onFulfilled, onRejected);
      },
    } as PromiseLike<unknown>;
    return { thenable, resolve, reject, thens: () => thens };
  }

  it('tells how the thenable settled when the library awaits it, calling its then only as the library does', async () => {
    const told: unknown[] = [];
    const source = deferred();
    const observed = observeThenable(source.thenable, 'op', (op, rejected, settled) => told.push([op, rejected, settled]));
    expect(source.thens()).toBe(0);
    const awaited = (async () => await observed)();
    source.resolve(42);
    expect(await awaited).toBe(42);
    expect(source.thens()).toBe(1);
    expect(told).toEqual([['op', false, 42]]);
  });

  it('passes a rejection on to the library and tells it once', async () => {
    const told: unknown[] = [];
    const source = deferred();
    const observed = observeThenable(source.thenable, 'op', (_op, rejected, settled) => told.push([rejected, settled]));
    const failure = new Error('query failed');
    source.reject(failure);
    await expect((async () => await observed)()).rejects.toBe(failure);
    await expect(Promise.resolve(observed)).rejects.toBe(failure);
    expect(told).toEqual([[true, failure]]);
  });
});
