import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import { afterRealDelay } from './clock';
import type { ScopeFilter } from './records';
import type { Subscriber, TelemetryStore } from './store';
import { activeScope } from './test-scope';
import { describeThrown } from './values';

/** Options every wait accepts. */
export interface WaitOptions {
  /**
   * Real milliseconds before the wait fails with an explanation (fake timers do not apply):
   * more than 0 and at most 2^31-1, or Infinity for no timeout.
   */
  timeoutMillis?: number;
  /**
   * `'current'` (default): inside `recorder.isolate()`, only telemetry caused by this test's
   * scope; outside it, everything. `'all'`: everything, whatever the scope.
   */
  scope?: 'current' | 'all';
}

/** How a subscriber settles its wait; only the first call counts. */
export interface Control<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  /**
   * Runs code that calls the user's matchers outside the wait's own hooks (an asynchronous
   * callback); a throw fails this wait with the matcher's error, as it does inside the hooks.
   */
  guard(fn: () => void): void;
}

/** Longest timeout a timer can take: Node fires larger delays after 1 ms instead. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The error a wait fails with when a matcher of its pattern (an asymmetric matcher, or its
 * description) throws: named after the wait, with the matcher's error as `cause`.
 */
export function matcherFailure(label: string, error: unknown, timedOutAfterMs?: number): Error {
  const what = timedOutAfterMs === undefined ? `${label} failed` : `${label} timed out after ${timedOutAfterMs} ms, and explaining why failed`;
  return new Error(`${what}: a matcher in its pattern threw ${describeThrown(error)}`, { cause: error });
}

/**
 * The `timeoutMillis` of `options`, or `fallback`; throws unless it is a number of
 * milliseconds a timer can wait (1 ms to 2^31-1 ms, about 24.8 days) or Infinity (no timeout),
 * and for the old name `timeout`, which would otherwise be ignored silently.
 */
export function timeoutOf(options: { timeoutMillis?: number }, fallback: number, label: string): number {
  if ('timeout' in options) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'option', value: 'timeout', expected: 'timeoutMillis (the option was renamed)' }));
  }
  const timeout = options.timeoutMillis ?? fallback;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0 || (timeout > MAX_TIMEOUT_MS && timeout !== Infinity)) {
    throw new TypeError(
      invalidValueMessage({ source: label, subject: 'timeoutMillis', value: timeout, expected: `a number of milliseconds > 0 and <= ${MAX_TIMEOUT_MS}, or Infinity for no timeout` }),
    );
  }
  return timeout;
}

/** Throws unless `count` is a positive integer. */
export function validateCount(count: unknown, label: string): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'count', value: count, expected: 'an integer >= 1' }));
  }
  return count;
}

/** An error whose stack starts at the caller of `fn`, captured when a wait starts. */
export function callSite(fn: (...args: never[]) => unknown): Error {
  const site = new Error();
  Error.captureStackTrace(site, fn);
  return site;
}

/** Re-points an error's stack at the line that started the wait, not at the timer that failed it. */
export function withCallSite(error: Error, site: Error): Error {
  const frames = (site.stack ?? '').split('\n').slice(1).join('\n');
  error.stack = `${error.name}: ${error.message}\n${frames}`;
  return error;
}

/**
 * The pending-wait registry every wait runs on: it reads the store, subscribes to it, filters
 * by test scope, and fails a wait on the real clock with the explanation the wait builds.
 */
export class WaitCore {
  constructor(
    readonly store: TelemetryStore,
    private readonly defaultTimeout: number,
  ) {}

  /** The scope a wait with this option looks at. */
  scopeFilter(option: 'current' | 'all' | undefined): ScopeFilter {
    if (option !== undefined && option !== 'current' && option !== 'all') {
      throw new TypeError(invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: 'scope option', value: option, expected: "'current' or 'all'" }));
    }
    return option === 'all' ? undefined : activeScope();
  }

  /**
   * Registers a pending wait and its real-clock timeout. `subscribe` first checks what is
   * already recorded (it may settle the wait at once), then returns the hooks for what comes.
   * `onTimeout` returns the error to fail with, or undefined to resolve (a refutation window
   * that closed without a match). The user's matchers run only inside these callbacks (or
   * `ctl.guard`): a matcher that throws fails this wait alone, never the store or other waits.
   */
  pend<T>(
    label: string,
    site: Error,
    options: WaitOptions,
    subscribe: (ctl: Control<T>) => Subscriber,
    onTimeout: (timeoutMs: number) => Error | undefined,
  ): Promise<T> {
    const timeoutMs = timeoutOf(options, this.defaultTimeout, label);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let cleanup = () => {};
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        cleanup();
        fn();
      };
      const ctl: Control<T> = {
        resolve: (value) => settle(() => resolve(value)),
        reject: (error) => settle(() => reject(error)),
        guard: (fn) => {
          if (settled) return;
          try {
            fn();
          } catch (error) {
            ctl.reject(withCallSite(matcherFailure(label, error), site));
          }
        },
      };
      const guarded = <A>(hook: ((arg: A) => void) | undefined) => hook && ((arg: A) => ctl.guard(() => hook(arg)));
      let hooks: Subscriber = {};
      ctl.guard(() => (hooks = subscribe(ctl)));
      if (settled) return;
      const subscriber: Subscriber = { onSpan: guarded(hooks.onSpan), onEvent: guarded(hooks.onEvent), onMeasurement: guarded(hooks.onMeasurement) };
      const subscribers = this.store.subscribers;
      subscribers.add(subscriber);
      const timer =
        timeoutMs === Infinity
          ? undefined
          : afterRealDelay(timeoutMs, () => {
              let error: Error | undefined;
              try {
                error = onTimeout(timeoutMs);
              } catch (thrown) {
                error = matcherFailure(label, thrown, timeoutMs);
              }
              if (error) ctl.reject(withCallSite(error, site));
              else ctl.resolve(undefined as T);
            });
      cleanup = () => {
        subscribers.delete(subscriber);
        timer?.cancel();
      };
    });
  }
}
