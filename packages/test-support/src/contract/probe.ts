/** The error a probe's failing user function throws: `error.type` is its class name. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/**
 * User code for one contract operation, made by the suite so that identities can be checked:
 * the caller must get `value` and `error` themselves, and the user function must see the
 * `this` it would see without instrumentation.
 */
export interface Probe {
  /** What {@link succeed} resolves with. */
  readonly value: object;
  /** What {@link fail} rejects with. */
  readonly error: ContractError;
  /** A receiver for APIs that take one (opossum `breaker.call(thisArg, ...)`). */
  readonly receiver: object;
  /** A user function resolving with `value`. */
  readonly succeed: (...args: unknown[]) => Promise<object>;
  /** A user function rejecting with `error`. */
  readonly fail: (...args: unknown[]) => Promise<never>;
  /** A user function that never settles (for timeouts). */
  readonly hang: (...args: unknown[]) => Promise<never>;
  /** Registers a teardown (a breaker's shutdown) run after the operation has been checked. */
  onEnd(teardown: () => void): void;
}

/** A probe with what its user functions saw: `this` of the last call, and the last promise they returned. */
export interface ProbeRecord {
  readonly probe: Probe;
  /** Whether a user function ran at all. */
  called(): boolean;
  /** `this` of the last call of a user function. */
  lastThis(): unknown;
  /** The promise the last call of a user function returned. */
  lastPromise(): Promise<unknown> | undefined;
  /** Forgets the calls so far (those that prepared the operation). */
  forgetCalls(): void;
  /** Runs the registered teardowns. */
  end(): void;
}

/** A fresh probe and what it records. */
export function createProbe(): ProbeRecord {
  let calls = 0;
  let seenThis: unknown;
  let promise: Promise<unknown> | undefined;
  const teardowns: (() => void)[] = [];
  const userFunction = <T>(settle: () => Promise<T>) =>
    function (this: unknown): Promise<T> {
      calls += 1;
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- recording `this` is the point
      seenThis = this;
      const result = settle();
      promise = result;
      return result;
    };
  const value = { probe: 'value' };
  const error = new ContractError('the user function failed');
  const probe: Probe = {
    value,
    error,
    receiver: { probe: 'receiver' },
    succeed: userFunction(() => Promise.resolve(value)),
    fail: userFunction(() => Promise.reject(error)),
    hang: userFunction(() => new Promise<never>(() => {})),
    onEnd: (teardown) => teardowns.push(teardown),
  };
  return {
    probe,
    called: () => calls > 0,
    lastThis: () => seenThis,
    lastPromise: () => promise,
    forgetCalls: () => {
      calls = 0;
      seenThis = undefined;
      promise = undefined;
    },
    end: () => {
      for (const teardown of teardowns.splice(0)) teardown();
    },
  };
}
