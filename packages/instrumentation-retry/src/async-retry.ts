import { RetryOutcome } from '@dyntel/semconv';
import type { AnyFunction, FunctionExportPatcher } from '@dyntel/instrumentation-kit';
import type { RetryCall, RetryCallObserver } from './retry-call';
import { retryOptionsPlan } from './retry-operation';
import type { RetryTelemetry } from './telemetry';

/**
 * Instruments async-retry 1.x, whose export is `retry(fn(bail, attempt), options)`: the call
 * from `retry()` to the promise it returns, an attempt per invocation of `fn`. An attempt that
 * succeeds is what the promise resolves with: a `success`; `bail(err)` (in any attempt) or an
 * error whose `bail` property is set rejects it at once: `aborted`; the `retry` operation
 * async-retry builds refusing a retry rejects it with the operation's main error: `exhausted`.
 * That operation reports the waits to this call. Attempts that async-retry still runs after
 * the call ended (`bail()` followed by a throw) run untouched.
 *
 * The caller gets async-retry's own promise, untouched (a derived one would run the caller's
 * callbacks a microtask late): the outcome is learnt from the attempts, `bail` and the operation.
 */
export class AsyncRetryPatcher implements FunctionExportPatcher, RetryCallObserver {
  readonly moduleName = 'async-retry';

  constructor(
    private readonly telemetry: RetryTelemetry,
    readonly versions: string,
    private readonly enabled: () => boolean,
  ) {}

  wrapExport(original: AnyFunction): AnyFunction {
    return AsyncRetryPatcher.#wrap(this, original);
  }

  static #wrap(patcher: AsyncRetryPatcher, original: AnyFunction): AnyFunction {
    return function retry(this: unknown, ...args: unknown[]): unknown {
      const [fn, options] = args;
      const call = patcher.enabled() && typeof fn === 'function' ? patcher.telemetry.startCall('async-retry', fn, options, retryOptionsPlan(options)) : undefined;
      if (call === undefined) return Reflect.apply(original, this, args);
      args[0] = patcher.#attempts(call, fn as AnyFunction);
      call.observer = patcher;
      try {
        return patcher.telemetry.runOuterCall(call, original, this, args);
      } catch (error) {
        patcher.telemetry.endCall(call, RetryOutcome.ABORTED, error, true);
        throw error;
      }
    };
  }

  /** An attempt's value is what async-retry resolves with; an error flagged `bail` is what it rejects with. */
  attemptSettled(call: RetryCall, rejected: boolean, settled: unknown): void {
    if (!rejected) this.telemetry.endCall(call, RetryOutcome.SUCCESS, undefined, false);
    else if (bailFlagged(settled)) this.telemetry.endCall(call, RetryOutcome.ABORTED, settled, true);
  }

  /** async-retry rejects with the operation's main error. */
  retryRefused(call: RetryCall, _error: unknown, mainError: unknown): void {
    this.telemetry.endCall(call, RetryOutcome.EXHAUSTED, mainError, true);
  }

  // The function async-retry calls per attempt: the user's, as an attempt of the call, with a bail that is noticed.
  #attempts(call: RetryCall, fn: AnyFunction): AnyFunction {
    const telemetry = this.telemetry;
    let noticed: AnyFunction | undefined;
    return function attempt(this: unknown, ...args: unknown[]): unknown {
      if (call.ended) return Reflect.apply(fn, this, args);
      const bail = args[0];
      if (typeof bail === 'function') {
        if (noticed === undefined) {
          noticed = function (this: unknown, ...bailArgs: unknown[]): unknown {
            // async-retry rejects at once, with the error or an Error('Aborted') of its own: a stand-in of that class is recorded.
            const error = bailArgs[0];
            telemetry.endCall(call, RetryOutcome.ABORTED, error || new Error('Aborted'), true);
            return Reflect.apply(bail as AnyFunction, this, bailArgs);
          };
          // The user's function may look at what it was given: the same name and arity as async-retry's bail.
          Object.defineProperty(noticed, 'name', { value: bail.name, configurable: true });
          Object.defineProperty(noticed, 'length', { value: bail.length, configurable: true });
        }
        args[0] = noticed;
      }
      return telemetry.attempt(call, fn, this, args);
    };
  }
}

// async-retry bails on an error with a truthy `bail` property, as if bail(err) had been called.
function bailFlagged(error: unknown): boolean {
  try {
    return typeof error === 'object' && error !== null && Boolean((error as { bail?: unknown }).bail);
  } catch {
    return false;
  }
}
