import type { InspectionEvent } from './xstate-shapes';

type Inspector = (event: InspectionEvent) => void;
type UserObserver = { next?: (event: unknown) => void; error?: (error: unknown) => void; complete?: () => void };

// On globalThis so that the CJS and ESM builds of this package, loaded side by side, know each
// other's inspectors and a system is never observed twice.
const OURS_KEY = Symbol.for('@dyntel/instrumentation-agents/xstate-inspectors');

function ours(): WeakSet<object> {
  const holder = globalThis as { [OURS_KEY]?: WeakSet<object> };
  return (holder[OURS_KEY] ??= new WeakSet());
}

/** Whether an `inspect` option already carries a dyntel inspector. */
export function isOurInspect(inspect: unknown): boolean {
  return (typeof inspect === 'function' || (typeof inspect === 'object' && inspect !== null)) && ours().has(inspect);
}

/**
 * The `inspect` option XState gets: ours first (it never throws), then the user's, called as
 * XState would call it (a function with no `this`, an observer's `next` as read when the actor
 * is created, bound to the observer), so the user's sees every event in the same order and
 * its exceptions reach XState as they would without us.
 */
export function mergedInspect(inspector: Inspector, user: unknown): Inspector | UserObserver {
  let merged: Inspector | UserObserver;
  if (typeof user === 'function') {
    const next = user as (event: unknown) => void;
    merged = (event: InspectionEvent) => {
      inspector(event);
      next(event);
    };
  } else if (typeof user === 'object' && user !== null) {
    const observer = user as UserObserver;
    const next = observer.next?.bind(observer);
    merged = {
      next: (event: unknown) => {
        inspector(event as InspectionEvent);
        next?.(event);
      },
      error: observer.error?.bind(observer),
      complete: observer.complete?.bind(observer),
    };
  } else {
    merged = inspector;
  }
  ours().add(merged);
  return merged;
}
