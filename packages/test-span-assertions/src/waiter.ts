import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import { afterRealDelay } from './clock';
import type { ScopeFilter } from './records';
import type { Subscriber, TelemetryStore } from './store';
import { activeScope } from './test-scope';

/** Options every wait accepts. */
export interface WaitOptions {
  /** Real milliseconds before the wait fails with an explanation (fake timers do not apply). */
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
}

/**
 * The `timeoutMillis` of `options`, or `fallback`; throws unless it is a usable number of
 * milliseconds, and for the old name `timeout`, which would otherwise be ignored silently.
 */
export function timeoutOf(options: { timeoutMillis?: number }, fallback: number, label: string): number {
  if ('timeout' in options) throw new TypeError(`${label}: the timeout option is called timeoutMillis`);
  const timeout = options.timeoutMillis ?? fallback;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'timeoutMillis', value: timeout, expected: 'a number of milliseconds > 0 (or Infinity)' }));
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
   * Registers a pending wait and its real-clock timeout. `onTimeout` returns the error to fail
   * with, or undefined to resolve (a refutation window that closed without a match).
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
      const ctl: Control<T> = {
        resolve: (value) => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          if (settled) return;
          settled = true;
          cleanup();
          reject(error);
        },
      };
      const subscriber = subscribe(ctl);
      if (settled) return;
      const subscribers = this.store.subscribers;
      subscribers.add(subscriber);
      const timer =
        timeoutMs === Infinity
          ? undefined
          : afterRealDelay(timeoutMs, () => {
              const error = onTimeout(timeoutMs);
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
