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
});
