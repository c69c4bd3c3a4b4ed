import { types } from 'node:util';
import { reportInstrumentationError } from './guard';
import { isThenable } from './thenable';

/** Told how an operation's result settled: `rejected` and the value or the error. */
export type SettleListener<Op> = (operation: Op, rejected: boolean, settled: unknown) => void;

// Operations of any type wait on one shared promise; each with its own listener.
interface Waiter {
  operation: unknown;
  listener: SettleListener<unknown>;
}

/** What is known of a promise that more than one operation may return. */
interface SharedResult {
  /** The promise the callers get instead of the library's. */
  readonly returned: Promise<unknown>;
  /** Set once the library's promise settled. */
  outcome: { rejected: boolean; settled: unknown } | undefined;
  readonly waiters: Waiter[];
}

// Promises that operations may share, by the library's promise, for as long as it lives.
const shared = new WeakMap<Promise<unknown>, SharedResult>();

/** Whether `value` is a native promise, of this realm or another (a foreign thenable is not). */
export function isPromise(value: unknown): value is Promise<unknown> {
  // instanceof first: it is the common case and costs no call into the runtime.
  return value instanceof Promise || (isThenable(value) && types.isPromise(value));
}

/**
 * Tells `listener` how `promise` settles through a side branch: a `then` whose promise is
 * discarded and never rejects (a throwing listener is reported). It changes no timing, but it
 * marks `promise` handled, so use it only on a promise the library itself consumes (attaches
 * its own handlers to, or awaits): on the promise the caller gets, an unhandled rejection
 * would no longer be one. For that promise, use {@link settle}.
 */
export function observeSettled<Op>(promise: Promise<unknown>, operation: Op, listener: SettleListener<Op>): void {
  promise.then(
    (value) => tell(listener, operation, false, value),
    (error: unknown) => tell(listener, operation, true, error),
  );
}

/**
 * For a thenable that is not a promise (a query builder, a custom deferred) which the library
 * itself consumes, as it does an attempt's result: a look-alike that hands `then` through to
 * the thenable, once, and tells `listener` how it settled. The library's `await` then takes the
 * same steps as on the thenable itself, and the thenable's `then` is called only when, and as
 * often as, the library calls it (calling it ourselves could start its work again). Not for
 * what the application gets: it is another object.
 */
export function observeThenable<Op>(thenable: PromiseLike<unknown>, operation: Op, listener: SettleListener<Op>): PromiseLike<unknown> {
  let told = false;
  const once = (rejected: boolean, settled: unknown): void => {
    if (told) return;
    told = true;
    tell(listener, operation, rejected, settled);
  };
  return {
    then(onFulfilled?: ((value: unknown) => unknown) | null, onRejected?: ((error: unknown) => unknown) | null) {
      return thenable.then(
        (value) => {
          once(false, value);
          return typeof onFulfilled === 'function' ? onFulfilled(value) : value;
        },
        (error: unknown) => {
          once(true, error);
          if (typeof onRejected === 'function') return onRejected(error);
          throw error;
        },
      );
    },
  } as PromiseLike<unknown>;
}

function tell<Op>(listener: SettleListener<Op>, operation: Op, rejected: boolean, settled: unknown): void {
  try {
    listener(operation, rejected, settled);
  } catch (error) {
    reportInstrumentationError('observing a settled promise', error);
  }
}

/**
 * Returns what the caller of an instrumented operation gets, and tells `listener` how the
 * result settled, without changing what the caller observes:
 * - a value or a thenable that is not a promise is returned as it is and settles at once
 *   (calling a foreign `then` could start work, as query builders do on `then`);
 * - a promise is returned as a promise derived with one `then`, which rejects with the same
 *   error, so an unhandled rejection stays unhandled; the caller's callbacks run one microtask
 *   later than they would on the library's promise (use {@link observeSettled} instead where
 *   the library consumes a promise whose outcome is the operation's);
 * - `shareable`: the library may return the same promise to several operations (a cache or
 *   coalescing hit); each gets the same derived promise, so `fire(1) === fire(1)` still holds,
 *   and each operation is told when it settles. Off by default: it costs a WeakMap entry.
 * A synchronous throw is the caller's to report (`listener(operation, true, error)`).
 */
export function settle<Op>(operation: Op, result: unknown, listener: SettleListener<Op>, shareable = false): unknown {
  if (!isPromise(result)) {
    listener(operation, false, result);
    return result;
  }
  if (!shareable) {
    return (result as Promise<unknown>).then(
      (value) => {
        listener(operation, false, value);
        return value;
      },
      (error: unknown) => {
        listener(operation, true, error);
        throw error;
      },
    );
  }
  return settleShared(operation, result as Promise<unknown>, listener);
}

function settleShared<Op>(operation: Op, result: Promise<unknown>, listener: SettleListener<Op>): Promise<unknown> {
  let entry = shared.get(result);
  if (entry === undefined) {
    const waiters: Waiter[] = [];
    const settleAll = (rejected: boolean, settled: unknown): void => {
      created.outcome = { rejected, settled };
      for (const waiter of waiters.splice(0)) waiter.listener(waiter.operation, rejected, settled);
    };
    const created: SharedResult = {
      returned: result.then(
        (value) => {
          settleAll(false, value);
          return value;
        },
        (error: unknown) => {
          settleAll(true, error);
          throw error;
        },
      ),
      outcome: undefined,
      waiters,
    };
    entry = created;
    shared.set(result, entry);
  }
  if (entry.outcome === undefined) entry.waiters.push({ operation, listener: listener as SettleListener<unknown> });
  else listener(operation, entry.outcome.rejected, entry.outcome.settled);
  return entry.returned;
}
