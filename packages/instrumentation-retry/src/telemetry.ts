import { INVALID_TRACEID, type Attributes, type Logger, type Tracer } from '@opentelemetry/api';
import { OperationRecorder, emitEvent, isPromise, monotonicMillis, isThenable, observeSettled, observeThenable, reportInstrumentationError, resolveErrorType, type AnyFunction } from '@dyntel/instrumentation-kit';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_BACKOFF_STRATEGY,
  ATTR_RETRY_DELAY,
  EVENT_RETRY_BACKOFF,
  OTHER_VALUE,
  Severity,
  type RetryOutcome,
} from '@dyntel/semconv';
import type { RetryInstruments } from './metrics';
import { retryNames } from './naming';
import { RetryAttempt, RetryAttemptKind } from './retry-attempt';
import { RetryCall, RetryCallKind, type RetryPlan } from './retry-call';
import { RetryPolicies, ownFunctionName } from './retry-policies';
import type { RetryInstrumentationConfig, RetryLibrary } from './types';

/** What the telemetry reads from its instrumentation, live. */
export interface RetryTelemetryHost {
  tracer(): Tracer;
  logger(): Logger;
  config(): RetryInstrumentationConfig;
  instruments(): RetryInstruments;
}

/**
 * What every library adapter records a retried call with: a `retry.call` span over the whole
 * logical call, a `retry.attempt` child per invocation of the user's function, the backoff
 * event and retries counter for each planned wait, and the call and attempt durations and
 * attempts per call. Adapters say what the library did; this decides how it is recorded.
 * Nothing here throws into the application.
 */
export class RetryTelemetry {
  readonly #recorder: OperationRecorder;
  readonly #calls: RetryCallKind;
  readonly #attempts: RetryAttemptKind;
  readonly #policies = new RetryPolicies();
  #outerCall: RetryCall | undefined = undefined;

  constructor(private readonly host: RetryTelemetryHost) {
    this.#recorder = new OperationRecorder({ tracer: () => host.tracer(), requireParentSpan: () => host.config().requireParentSpan === true });
    this.#calls = new RetryCallKind({ config: () => host.config(), callDuration: () => host.instruments().callDuration });
    this.#attempts = new RetryAttemptKind(() => host.instruments().attemptDuration);
  }

  /**
   * Starts a logical call, named by `nameRetry` on the options or the function, else the
   * `retryName` option, else the function's own name. Its span is a child of the active span.
   * Undefined when the instrumentation failed: the adapter then runs the library untouched.
   */
  startCall(library: RetryLibrary, fn: unknown, options: unknown, plan: RetryPlan): RetryCall | undefined {
    // try/catch rather than safely(): no closure per call on the hot path.
    try {
      const policy = this.#policies.forName(this.#nameOrUndefined(library, fn, options));
      const call = new RetryCall(library, policy, plan.maxAttempts, plan.strategy);
      this.#recorder.begin(this.#calls, call, policy.call.spanOptions('call', noFill));
      return call;
    } catch (error) {
      reportInstrumentationError('starting a retry call', error);
      return undefined;
    }
  }

  /**
   * Runs `entry` (a library's entry point) with `call` as the outer call: libraries built on a
   * lower retry library (p-retry 4-6, async-retry and promise-retry build `retry` operations)
   * record the call and its attempts themselves, and the lower layer, seeing an outer call
   * while it is set up, only reports the waits it plans to it. So a call is never counted twice.
   */
  asOuterCall<T>(call: RetryCall, entry: () => T): T {
    const previous = this.#outerCall;
    this.#outerCall = call;
    try {
      return entry();
    } finally {
      this.#outerCall = previous;
    }
  }

  /** {@link asOuterCall} around {@link runCall}: the library's entry point, in the call's context, as the outer call; no closure per call. */
  runOuterCall(call: RetryCall, fn: AnyFunction, thisArg: unknown, args: readonly unknown[]): unknown {
    const previous = this.#outerCall;
    this.#outerCall = call;
    try {
      return this.#recorder.run(call, fn, thisArg, args);
    } finally {
      this.#outerCall = previous;
    }
  }

  /** The call a lower layer's operation belongs to, when it is being set up by an outer call; the call is marked as having one. */
  outerCall(): RetryCall | undefined {
    const call = this.#outerCall;
    if (call !== undefined) call.lowerLayer = true;
    return call;
  }

  /** Runs the library's own entry point in the call's context, so that its attempts are the call's children. */
  runCall(call: RetryCall, fn: AnyFunction, thisArg: unknown, args: readonly unknown[]): unknown {
    return this.#recorder.run(call, fn, thisArg, args);
  }

  /**
   * Runs one attempt: the user's function `fn`, in the attempt's span, which is a child of the
   * call's. Returns what `fn` returned and throws what it threw; the call's observer is told
   * how the attempt went once it ended. A promise is returned as it is and observed through a
   * side branch: the library consumes it (awaits it), so that changes no timing and leaves no
   * rejection unhandled. Another thenable is handed to the library as a look-alike that
   * observes it when the library awaits it (`observeThenable`).
   */
  attempt(call: RetryCall, fn: AnyFunction, thisArg: unknown, args: readonly unknown[]): unknown {
    const attempt = this.beginAttempt(call);
    let result: unknown;
    try {
      result = attempt === undefined ? Reflect.apply(fn, thisArg, args) : this.#recorder.run(attempt, fn, thisArg, args);
    } catch (error) {
      this.#attemptSettled(attempt ?? call, true, error);
      throw error;
    }
    if (isPromise(result)) {
      observeSettled(result, attempt ?? call, this.#attemptSettled);
      return result;
    }
    // A thenable that is not a promise (a query builder) is the library's to call, and calling
    // its `then` ourselves could start its work again: the library awaits a look-alike instead.
    if (isThenable(result)) return observeThenable(result, attempt ?? call, this.#attemptSettled);
    this.#attemptSettled(attempt ?? call, false, result);
    return result;
  }

  /**
   * Begins an attempt that the adapter ends itself with {@link endAttempt}, for libraries
   * whose attempt ends when the user reports its result (`retry`'s callback style) or with an
   * error that wraps the real one (promise-retry's). Undefined when the instrumentation failed.
   */
  beginAttempt(call: RetryCall): RetryAttempt | undefined {
    try {
      return this.#beginAttempt(call);
    } catch (error) {
      reportInstrumentationError('starting a retry attempt', error);
      return undefined;
    }
  }

  /** Runs the user's function as the body of an attempt from {@link beginAttempt}, in its span's context; returns and throws what `fn` does. */
  runAttempt(attempt: RetryAttempt, fn: AnyFunction, thisArg: unknown, args: readonly unknown[]): unknown {
    return this.#recorder.run(attempt, fn, thisArg, args);
  }

  /** Ends an attempt from {@link beginAttempt}: failed with `error`, or succeeded. */
  endAttempt(call: RetryCall, attempt: RetryAttempt, failed: boolean, error: unknown): void {
    this.#endAttempt(attempt, failed, failed ? error : undefined, call);
  }

  /**
   * Records that the library will wait `delayMillis` before the next attempt because of
   * `error`: one retry on the counter and the backoff event, on the call's span. An undefined
   * delay is one the library draws only after it could be observed (a randomized wait): the
   * retry is recorded without a delay rather than with a guessed one.
   */
  backoff(call: RetryCall, delayMillis: number | undefined, error: unknown): void {
    try {
      const delaySeconds = delayMillis === undefined ? undefined : Number.isFinite(delayMillis) && delayMillis > 0 ? delayMillis / 1000 : 0;
      call.plannedDelaySeconds = delaySeconds;
      const errorType = error === undefined ? OTHER_VALUE : resolveErrorType(error);
      this.host.instruments().retries.add(1, call.policy.retryAttributes(call.strategy, errorType));
      const attributes: Attributes = call.policy.call.spanAttributes();
      attributes[ATTR_RETRY_ATTEMPT] = call.attemptCount + 1;
      if (delaySeconds !== undefined) attributes[ATTR_RETRY_DELAY] = delaySeconds;
      if (call.strategy !== undefined) attributes[ATTR_RETRY_BACKOFF_STRATEGY] = call.strategy;
      attributes[ATTR_ERROR_TYPE] = errorType;
      emitEvent(this.host.logger(), { name: EVENT_RETRY_BACKOFF, severity: Severity.WARN, attributes, context: call.context });
    } catch (caught) {
      reportInstrumentationError('recording a retry backoff', caught);
    }
  }

  /**
   * Ends a logical call once: `error` is what the caller got (or, for an outcome without a
   * rejection, the last attempt's error), `rejected` whether the caller got an error.
   */
  endCall(call: RetryCall, outcome: RetryOutcome, error: unknown, rejected: boolean): void {
    if (call.ended) return;
    call.ended = true;
    try {
      this.host.instruments().attempts.record(call.attemptCount, call.policy.attemptsAttributes(outcome));
    } catch (caught) {
      reportInstrumentationError('recording retry attempts', caught);
    }
    // A call that ends as its attempt settles ends at the moment the attempt did.
    this.#recorder.end(this.#calls, call, outcome, error, rejected, call.settlingMillis ?? monotonicMillis());
  }

  #beginAttempt(call: RetryCall): RetryAttempt {
    call.attemptCount += 1;
    const attempt = new RetryAttempt(call, call.attemptCount, call.plannedDelaySeconds);
    call.plannedDelaySeconds = undefined;
    // A call span without a trace id comes from no tracer SDK: its attempts' spans would be no-ops too.
    if (call.span !== undefined && call.span.spanContext().traceId === INVALID_TRACEID) return attempt;
    // Under the call's span without making its context active around the start (undefined: the active one).
    this.#recorder.begin(this.#attempts, attempt, call.policy.attempt.spanOptions('attempt', noFill), call.context);
    return attempt;
  }

  // How an attempt from attempt() settled (the call itself when its attempt could not be recorded), bound once.
  readonly #attemptSettled = (ended: RetryAttempt | RetryCall, rejected: boolean, settled: unknown): void => {
    const call = ended instanceof RetryAttempt ? ended.call : ended;
    const now = monotonicMillis();
    if (ended !== call) this.#endAttempt(ended as RetryAttempt, rejected, settled, call, now);
    const observer = call.observer;
    if (observer?.attemptSettled === undefined) return;
    call.settlingMillis = now;
    try {
      observer.attemptSettled(call, rejected, settled);
    } catch (error) {
      reportInstrumentationError('observing a retry attempt', error);
    } finally {
      call.settlingMillis = undefined;
    }
  };

  #endAttempt(attempt: RetryAttempt, rejected: boolean, settled: unknown, call: RetryCall, endMillis = monotonicMillis()): void {
    if (rejected) call.lastError = settled;
    this.#recorder.end(this.#attempts, attempt, rejected ? 'failure' : 'success', rejected ? settled : undefined, rejected, endMillis);
  }

  #nameOrUndefined(library: RetryLibrary, fn: unknown, options: unknown): string | undefined {
    try {
      return this.#chooseName(library, fn, options);
    } catch (error) {
      reportInstrumentationError('naming a retry', error);
      return undefined;
    }
  }

  #chooseName(library: RetryLibrary, fn: unknown, options: unknown): string | undefined {
    const given = (isObject(options) ? retryNames.given(options) : undefined) ?? (isObject(fn) ? retryNames.given(fn) : undefined);
    if (given !== undefined) return given;
    const functionName = ownFunctionName(fn);
    const callback = this.host.config().retryName;
    if (callback !== undefined) {
      let configured: unknown;
      try {
        configured = callback({ library, fn, options, functionName });
      } catch (error) {
        reportInstrumentationError('retryName option', error);
      }
      if (typeof configured === 'string' && configured !== '') return configured;
    }
    return functionName;
  }
}

function noFill(): void {}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
