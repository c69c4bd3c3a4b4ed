import { RetryOutcome } from '@dyntel/semconv';
import { settle, type AnyFunction, type FunctionExportPatcher } from '@dyntel/instrumentation-kit';
import type { RetryCall } from './retry-call';
import { retryOptionsPlan } from './retry-operation';
import type { RetryTelemetry } from './telemetry';

// RetryCall.flags: the user called bail().
const BAILED = 1;

/**
 * Instruments async-retry 1.x, whose export is `retry(fn(bail, attempt), options)`: the call
 * from `retry()` to the promise it returns, an attempt per invocation of `fn`. The promise
 * resolving is a `success`; rejecting after `bail(err)` (in any attempt) or with an error
 * whose `bail` property is set is `aborted`; otherwise the attempts ran out: `exhausted`.
 * The waits come from the `retry` operation async-retry builds, which reports them to this
 * call. Attempts that async-retry still runs after the call ended (`bail()` followed by a
 * throw) run untouched.
 */
export class AsyncRetryPatcher implements FunctionExportPatcher {
  readonly moduleName = 'async-retry';
  // How a call's promise settled, bound once: settle() calls it with no closure per call.
  readonly #settled = (call: RetryCall, rejected: boolean, settled: unknown): void => {
    const outcome = !rejected ? RetryOutcome.SUCCESS : call.flags & BAILED || bailFlagged(settled) ? RetryOutcome.ABORTED : RetryOutcome.EXHAUSTED;
    this.telemetry.endCall(call, outcome, rejected ? settled : undefined, rejected);
  };

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
      let result: unknown;
      try {
        result = patcher.telemetry.asOuterCall(call, () => patcher.telemetry.runCall(call, original, this, args));
      } catch (error) {
        patcher.telemetry.endCall(call, RetryOutcome.ABORTED, error, true);
        throw error;
      }
      return settle(call, result, patcher.#settled);
    };
  }

  // The function async-retry calls per attempt: the user's, as an attempt of the call, with a bail that is noticed.
  #attempts(call: RetryCall, fn: AnyFunction): AnyFunction {
    const telemetry = this.telemetry;
    let noticed: AnyFunction | undefined;
    return function attempt(this: unknown, ...args: unknown[]): unknown {
      if (call.ended) return Reflect.apply(fn, this, args);
      const bail = args[0];
      if (typeof bail === 'function') {
        args[0] = noticed ??= function (this: unknown, ...bailArgs: unknown[]): unknown {
          call.flags |= BAILED;
          return Reflect.apply(bail as AnyFunction, this, bailArgs);
        };
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
