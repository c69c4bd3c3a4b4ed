import { types } from 'node:util';
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

/**
 * Returns what the caller of an instrumented operation gets, and tells `listener` how the
 * result settled, without changing what the caller observes:
 * - a value or a thenable that is not a promise is returned as it is and settles at once
 *   (calling a foreign `then` could start work, as query builders do on `then`);
 * - a promise is returned as a promise derived with one `then`, which rejects with the same
 *   error, so an unhandled rejection stays unhandled;
 * - `shareable`: the library may return the same promise to several operations (a cache or
 *   coalescing hit); each gets the same derived promise, so `fire(1) === fire(1)` still holds,
 *   and each operation is told when it settles. Off by default: it costs a WeakMap entry.
 * A synchronous throw is the caller's to report (`listener(operation, true, error)`).
 */
export function settle<Op>(operation: Op, result: unknown, listener: SettleListener<Op>, shareable = false): unknown {
  // instanceof first: it is the common case and costs no call into the runtime; promises of
  // other realms are still recognised.
  if (!(result instanceof Promise) && !(isThenable(result) && types.isPromise(result))) {
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
