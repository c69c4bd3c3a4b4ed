import * as timers from 'node:timers';

// Captured when this module loads, before a test can install fake timers: a wait must time
// out on the wall clock even while `vi.useFakeTimers()` (or sinon) freezes the global one,
// otherwise a test that fakes time would hang instead of failing with an explanation.
// `node:timers` is preferred because fake-timer libraries patch the global object first.
const realSetTimeout: typeof setTimeout = isFake(timers.setTimeout) ? globalThis.setTimeout : timers.setTimeout;
const realClearTimeout: typeof clearTimeout = isFake(timers.clearTimeout)
  ? globalThis.clearTimeout
  : timers.clearTimeout;

function isFake(fn: unknown): boolean {
  // @sinonjs/fake-timers (behind vi.useFakeTimers) marks the functions it installs with `clock`.
  return typeof fn === 'function' && 'clock' in fn;
}

/** A cancellable timer on the real clock. */
export interface RealTimer {
  cancel(): void;
}

/** Runs `fn` after `ms` real milliseconds, whatever fake timers the test installed since. */
export function afterRealDelay(ms: number, fn: () => void): RealTimer {
  const handle = realSetTimeout(fn, ms);
  return { cancel: () => realClearTimeout(handle) };
}
