import type { InspectedStateNode } from './xstate-shapes';

/**
 * The state changes between two snapshots of a machine, for XState releases whose inspection
 * API sends no `@xstate.microstep` events: each outermost state node entered (its parent was
 * active before and after) with the state node it replaced under the same parent, the outermost
 * one left. These are the nodes a transition exits and enters, so a transition defined on an
 * inner node shows as from its outermost node left, and a snapshot that keeps every node
 * active (a self-transition, a targetless one) shows no change. Allocates nothing: the node
 * lists are a few entries long.
 */
export function forEachStateChange(
  before: readonly InspectedStateNode[],
  after: readonly InspectedStateNode[],
  changed: (left: InspectedStateNode, entered: InspectedStateNode) => void,
): void {
  for (const entered of after) {
    const parent = entered.parent;
    if (parent === undefined || before.includes(entered) || !before.includes(parent)) continue;
    for (const left of before) {
      if (left.parent === parent && left !== entered && !after.includes(left)) {
        changed(left, entered);
        break;
      }
    }
  }
}
