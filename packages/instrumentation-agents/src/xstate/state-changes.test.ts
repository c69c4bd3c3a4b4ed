import { describe, expect, it } from 'vitest';
import { forEachStateChange } from './state-changes';
import type { InspectedStateNode } from './xstate-shapes';

/** A state node under `parent`, its id the path as XState writes it. */
const node = (id: string, parent?: InspectedStateNode): InspectedStateNode => ({ id, parent });
const changes = (before: InspectedStateNode[], after: InspectedStateNode[]) => {
  const seen: string[] = [];
  forEachStateChange(before, after, (left, entered) => seen.push(`${left.id} > ${entered.id}`));
  return seen;
};

describe('forEachStateChange', () => {
  const root = node('m');
  const a = node('m.a', root);
  const b = node('m.b', root);
  const bx = node('m.b.x', b);
  const by = node('m.b.y', b);
  const p = node('m.p', root);
  const left = node('m.p.left', p);
  const l1 = node('m.p.left.1', left);
  const l2 = node('m.p.left.2', left);
  const right = node('m.p.right', p);
  const r1 = node('m.p.right.1', right);
  const r2 = node('m.p.right.2', right);

  it('a sibling for a sibling', () => {
    expect(changes([root, a], [root, b, bx])).toEqual(['m.a > m.b']);
  });

  it('inside a compound state, the child that changed', () => {
    expect(changes([root, b, bx], [root, b, by])).toEqual(['m.b.x > m.b.y']);
  });

  it('out of a compound state from an inner one: the outermost state left', () => {
    expect(changes([root, b, by], [root, a])).toEqual(['m.b > m.a']);
  });

  it('parallel regions, one change each; entering the parallel state, one change', () => {
    expect(changes([root, p, left, l1, right, r1], [root, p, left, l2, right, r2])).toEqual(['m.p.left.1 > m.p.left.2', 'm.p.right.1 > m.p.right.2']);
    expect(changes([root, a], [root, p, left, l1, right, r1])).toEqual(['m.a > m.p']);
  });

  it('nothing when the same states are active', () => {
    expect(changes([root, b, bx], [root, bx, b])).toEqual([]);
  });
});
