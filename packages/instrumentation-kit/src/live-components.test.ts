import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LiveComponents } from './live-components';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('LiveComponents', () => {
  it('visits the records of live owners and forgets those whose owner was collected', async () => {
    const live = new LiveComponents<{ name: string }>();
    const kept = {};
    live.add(kept, { name: 'kept' });
    (() => live.add({}, { name: 'dropped' }))();
    // A WeakRef holds its target until the current job ends: collect after it.
    await new Promise(setImmediate);
    gc();
    const names: string[] = [];
    live.forEachLive((record) => names.push(record.name));
    expect(names).toEqual(['kept']);
    expect(live.size).toBe(1);
    expect(kept).toBeDefined();
  });

  it('hands each visit the live owner, and a deleted record is no longer visited nor held', async () => {
    const live = new LiveComponents<{ name: string }>();
    const owner = { size: 3 };
    const record = { name: 'drained' };
    live.add(owner, record);
    const seen: [string, object][] = [];
    live.forEachLive((r, o) => seen.push([r.name, o]));
    expect(seen).toEqual([['drained', owner]]);
    live.delete(record);
    live.delete(record);
    seen.length = 0;
    live.forEachLive((r, o) => seen.push([r.name, o]));
    expect(seen).toEqual([]);
    expect(live.size).toBe(0);
  });
});
