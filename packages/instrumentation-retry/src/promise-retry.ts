import { RetryOutcome } from '@dyntel/semconv';
import { isPromise, observeSettled, type AnyFunction, type FunctionExportPatcher } from '@dyntel/instrumentation-kit';
import type { RetryAttempt } from './retry-attempt';
import type { RetryCall, RetryCallObserver } from './retry-call';
import { retryOptionsPlan } from './retry-operation';
import type { RetryTelemetry } from './telemetry';

// The error promise-retry's retry(err) throws, wrapping the user's.
const RETRY_ERROR_CODE = 'EPROMISERETRY';

/**
 * Instruments promise-retry 2.x, whose export is `promiseRetry(fn(retry, number), options)`
 * (or `(options, fn)`): the call from `promiseRetry()` to the promise it returns, an attempt
 * per invocation of `fn`. An attempt fails with the error the user passed to `retry(err)`
 * (not promise-retry's wrapper) or the one it rejected with. The promise resolving is a
 * `success`; rejecting after the last attempt called `retry(err)` is `exhausted` (no attempt
 * or time left); rejecting without calling it is `aborted`. The waits come from the `retry`
 * operation promise-retry builds, which reports them to this call.
 *
 * The caller gets promise-retry's own promise, untouched (a derived one would run the caller's
 * callbacks a microtask late): an attempt that succeeds is what it resolves with, one that
 * fails without `retry(err)` what it rejects with at once, and one that called it is what it
 * rejects with once the operation refused the retry.
 */
export class PromiseRetryPatcher implements FunctionExportPatcher, RetryCallObserver {
  readonly moduleName = 'promise-retry';

  constructor(
    private readonly telemetry: RetryTelemetry,
    readonly versions: string,
    private readonly enabled: () => boolean,
  ) {}

  wrapExport(original: AnyFunction): AnyFunction {
    return PromiseRetryPatcher.#wrap(this, original);
  }

  static #wrap(patcher: PromiseRetryPatcher, original: AnyFunction): AnyFunction {
    return function promiseRetry(this: unknown, ...args: unknown[]): unknown {
      // promise-retry's own test for the (options, fn) signature.
      const at = typeof args[0] === 'object' && typeof args[1] === 'function' ? 1 : 0;
      const fn = args[at];
      const options = args[1 - at];
      const call = patcher.enabled() && typeof fn === 'function' ? patcher.telemetry.startCall('promise-retry', fn, options, retryOptionsPlan(options)) : undefined;
      if (call === undefined) return Reflect.apply(original, this, args);
      args[at] = patcher.#attempts(call, fn as AnyFunction);
      call.observer = patcher;
      try {
        return patcher.telemetry.runOuterCall(call, original, this, args);
      } catch (error) {
        patcher.telemetry.endCall(call, RetryOutcome.ABORTED, error, true);
        throw error;
      }
    };
  }

  /** promise-retry rejects with the error the last attempt passed to `retry(err)`. */
  retryRefused(call: RetryCall): void {
    this.telemetry.endCall(call, RetryOutcome.EXHAUSTED, call.lastError, true);
  }

  // The function promise-retry calls per attempt: the user's, as an attempt of the call. An
  // attempt the telemetry could not begin still tells the call how it went, so the call ends.
  #attempts(call: RetryCall, fn: AnyFunction): AnyFunction {
    const telemetry = this.telemetry;
    const ended = (attempt: RetryAttempt | undefined, rejected: boolean, settled: unknown): void => {
      const retried = rejected && isRetryError(settled);
      const error = retried ? (settled as { retried: unknown }).retried : settled;
      if (attempt !== undefined) telemetry.endAttempt(call, attempt, rejected, error);
      else if (rejected) call.lastError = error;
      // Without retry(err), promise-retry settles at once with what the attempt settled with.
      if (!retried) telemetry.endCall(call, rejected ? RetryOutcome.ABORTED : RetryOutcome.SUCCESS, rejected ? settled : undefined, rejected);
    };
    return function attempt(this: unknown, ...args: unknown[]): unknown {
      if (call.ended) return Reflect.apply(fn, this, args);
      const attempt = telemetry.beginAttempt(call);
      let result: unknown;
      try {
        result = attempt === undefined ? Reflect.apply(fn, this, args) : telemetry.runAttempt(attempt, fn, this, args);
      } catch (error) {
        ended(attempt, true, error);
        throw error;
      }
      // promise-retry adopts what the attempt returned, so a side branch on a promise changes no
      // timing and leaves no rejection unhandled. Another thenable counts as a success when returned.
      if (!isPromise(result)) {
        ended(attempt, false, result);
        return result;
      }
      observeSettled(result, attempt, ended);
      return result;
    };
  }
}

// promise-retry's own test for the error its retry(err) throws.
function isRetryError(error: unknown): boolean {
  try {
    return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === RETRY_ERROR_CODE && Object.hasOwn(error, 'retried');
  } catch {
    return false;
  }
}
