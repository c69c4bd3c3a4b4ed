import * as timers from 'node:timers';

// Captured when this module loads, before a test can install fake timers: a wait must time
// out on the wall clock even while `vi.useFakeTimers()` (or sinon) freezes the global one,
// otherwise a test that fakes time would hang instead of failing with an explanation.
// `node:timers` rather than the global: Vitest fakes the module's functions only with
// `fakeNodeBuiltins: true`, so these are real even when this module loads under default fakes.
const realSetTimeout = timers.setTimeout;
const realClearTimeout = timers.clearTimeout;

/** A cancellable timer on the real clock. */
export interface RealTimer {
  cancel(): void;
}

/** Runs `fn` after `ms` real milliseconds, whatever fake timers the test installed since. */
export function afterRealDelay(ms: number, fn: () => void): RealTimer {
  const handle = realSetTimeout(fn, ms);
  return { cancel: () => realClearTimeout(handle) };
}
