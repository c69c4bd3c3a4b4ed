import { CircuitBreakerOutcome, CircuitBreakerState } from '@dyntel/semconv';
import {
  isPromise,
  isThenable,
  monotonicMillis,
  observeSettled,
  reportInstrumentationError,
  resolveErrorType,
  safely,
  secondsSince,
  settle,
  type AnyFunction,
  type ModulePatcher,
  type Shim,
} from '@dyntel/instrumentation-kit';
import { CallRecord, type SharedCall } from './breaker-call';
import { CallsInFlight } from './calls-in-flight';
import type { BreakerTelemetry } from './telemetry';
import type { TrackedBreaker } from './tracked-breaker';

/** The parts of an opossum `CircuitBreaker` (6 to 10) the instrumentation reads. */
interface OpossumBreaker {
  readonly name?: unknown;
  /** The user's action, which `call` reads when it runs it. */
  action: unknown;
  readonly isShutdown: boolean;
  readonly enabled: boolean;
  readonly opened: boolean;
  readonly halfOpen: boolean;
  readonly options?: { readonly cache?: unknown; readonly coalesce?: unknown };
}

interface OpossumClass {
  prototype: object;
  isOurError?: (error: unknown) => boolean;
}

const WRAPPED_METHODS = ['call', 'emit', 'enable', 'disable', 'healthCheck'] as const;

// CallRecord.flags of an opossum call.
const TIMED_OUT = 1;
const COALESCED = 2;
// opossum emitted `fire`: the breaker was not shut down.
const FIRED = 4;
// The observer stood in for the action; it ran the action, which threw.
const OBSERVING = 8;
const INVOKED = 16;
const THREW = 32;
const CACHE_HIT = 64;
// Refused by an open breaker: a fallback's promise goes to the caller as it is.
const REFUSED = 128;
// The library decided the outcome; the call ended.
const DECIDED = 256;
const ENDED = 512;

// Errors opossum creates itself to refuse a call: open circuit, full semaphore, shut down.
const REFUSAL_CODES = new Set(['EOPENBREAKER', 'ESEMLOCKED', 'ESHUTDOWN']);

/**
 * What a shut-down breaker rejects a call with, as opossum builds it: no event carries the
 * error itself, and reading the caller's promise would mark it handled.
 */
function shutdownError(): Error {
  return Object.assign(new Error('The circuit has been shutdown.'), { code: 'ESHUTDOWN' });
}

/** The contract state of an opossum breaker, read from its public getters. */
function stateOf(breaker: OpossumBreaker): CircuitBreakerState {
  if (breaker.isShutdown) return CircuitBreakerState.FORCED_OPEN;
  if (!breaker.enabled) return CircuitBreakerState.DISABLED;
  return protectionStateOf(breaker);
}

function protectionStateOf(breaker: OpossumBreaker): CircuitBreakerState {
  if (breaker.opened) return CircuitBreakerState.OPEN;
  if (breaker.halfOpen) return CircuitBreakerState.HALF_OPEN;
  return CircuitBreakerState.CLOSED;
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Instruments opossum 6 to 10 by wrapping `CircuitBreaker.prototype`: `call` (which `fire`
 * delegates to) for the call span and duration, `emit` to hear every event of every breaker
 * from its construction on (listeners would be removed by `shutdown()` and could not be added
 * before a breaker's first call), `enable`/`disable` for the `disabled` state, and
 * `healthCheck` to time the user's health checks.
 *
 * Opossum's events name no call, so they are matched to calls this way: events emitted while a
 * call's synchronous part runs (`fire`, `reject`, `semaphoreLocked`, `coalesceCacheHit`)
 * belong to that call; `timeout` and `failure` carry the arguments array that `fire` carried
 * (kept on the call's record while it is in flight);
 * `fallback` carries the error of the `failure` just before it.
 *
 * The caller gets opossum's own promise, untouched: a derived promise would run the caller's
 * callbacks a microtask late. The outcome comes from what opossum reports or consumes itself:
 * its events, and the action's promise (opossum attaches its handlers to it, so a side branch
 * changes nothing), which a function standing in for the action during the call's
 * synchronous part hands over. A call ends once opossum has decided: when the action's
 * promise fulfils (opossum resolved the call just before), a microtask after it rejects or
 * after a timeout (opossum's handler has run by then), or when a fallback's promise that
 * opossum adopts settles. Where neither tells (a disabled breaker hands the action's promise
 * to the caller, an action returns a thenable that is not a promise), `settle()` observes the
 * returned promise, and those callers' callbacks run a microtask late.
 */
export class OpossumPatcher implements ModulePatcher<OpossumClass> {
  readonly moduleName = 'opossum';
  #current: CallRecord | undefined;
  #lastFailed: CallRecord | undefined;
  // Calls in flight that opossum identified by their arguments array; #end removes a call.
  readonly #inFlight = new CallsInFlight<CallRecord>();
  // CircuitBreaker.isOurError of every patched opossum copy: each marks its errors with its own symbol.
  readonly #ourErrorChecks = new Set<(error: unknown) => boolean>();

  // How a call's result settled, bound once: settle() calls it with no closure per call.
  readonly #settled = (record: CallRecord, rejected: boolean, settled: unknown): void => {
    this.#end(record, rejected ? settled : undefined, rejected);
  };
  // How the action's promise settled: opossum resolved the call just before a fulfilment is
  // seen; its rejection handler runs after this one, so the call is decided a microtask later.
  readonly #actionSettled = (record: CallRecord, rejected: boolean, settled: unknown): void => {
    if (rejected) queueMicrotask(() => this.#decided(record, settled, true));
    else this.#decided(record, undefined, false);
  };
  // The call's promise adopted the fallback's: it ends the same way.
  readonly #fallbackSettled = (record: CallRecord, rejected: boolean, settled: unknown): void => {
    this.#end(record, rejected ? settled : undefined, rejected);
  };
  // Calls that share a promise (coalescing), by that promise.
  readonly #shared = new WeakMap<object, SharedCall>();

  constructor(
    private readonly telemetry: BreakerTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  /** The module's `CircuitBreaker` class: the CJS export or the ESM default. */
  resolve(moduleExports: unknown): OpossumClass | undefined {
    const candidate =
      typeof moduleExports === 'function' ? moduleExports : (moduleExports as { default?: unknown } | null)?.default;
    return typeof candidate === 'function' && typeof candidate.prototype?.call === 'function'
      ? (candidate as unknown as OpossumClass)
      : undefined;
  }

  prototypeOf(CircuitBreaker: OpossumClass): object {
    return CircuitBreaker.prototype;
  }

  /** Wraps the class's prototype in place. */
  patch(CircuitBreaker: OpossumClass): void {
    const proto = CircuitBreaker.prototype as Record<string, unknown>;
    if (typeof CircuitBreaker.isOurError === 'function') this.#ourErrorChecks.add(CircuitBreaker.isOurError);
    this.shim.wrap(proto, 'call', (original) => OpossumPatcher.#wrapCall(this, original));
    this.shim.wrap(proto, 'emit', (original) => OpossumPatcher.#wrapEmit(this, original));
    this.shim.wrap(proto, 'enable', (original) => OpossumPatcher.#wrapEnable(this, original));
    this.shim.wrap(proto, 'disable', (original) => OpossumPatcher.#wrapDisable(this, original));
    this.shim.wrap(proto, 'healthCheck', (original) => OpossumPatcher.#wrapHealthCheck(this, original));
  }

  /** Restores the prototype. */
  unpatch(CircuitBreaker: OpossumClass): void {
    const proto = CircuitBreaker.prototype as Record<string, unknown>;
    for (const method of WRAPPED_METHODS) this.shim.unwrap(proto, method);
    // `emit` is EventEmitter's: leave no own copy behind.
    if (Object.hasOwn(proto, 'emit') && proto.emit === (Object.getPrototypeOf(proto) as Record<string, unknown>)?.emit) {
      delete proto.emit;
    }
  }

  // `initialState` is the state to start from when the breaker is seen for the first time;
  // by default its current state.
  #track(breaker: OpossumBreaker, initialState?: CircuitBreakerState): TrackedBreaker {
    return (
      this.telemetry.peek(breaker) ??
      this.telemetry.track(
        breaker,
        'opossum',
        initialState ?? stateOf(breaker),
        typeof breaker.name === 'string' ? breaker.name : undefined,
      )
    );
  }

  static #wrapCall(patcher: OpossumPatcher, original: AnyFunction): AnyFunction {
    const { recorder, calls } = patcher.telemetry;
    return function call(this: OpossumBreaker, ...args: unknown[]): unknown {
      // try/catch rather than safely(): no closure per call on the hot path.
      let record: CallRecord | undefined;
      try {
        const tracked = patcher.#track(this);
        // A new call: a failure reported before it can no longer be what opens the breaker.
        tracked.pendingOpenErrorType = undefined;
        const state = stateOf(this);
        record = new CallRecord(this, tracked, state);
        recorder.begin(calls, record, tracked.callSpanOptions(state));
      } catch (error) {
        reportInstrumentationError('starting an opossum call', error);
        record = undefined;
      }
      if (record === undefined) return Reflect.apply(original, this, args);
      const previous = patcher.#current;
      patcher.#current = record;
      let result: unknown;
      try {
        result = recorder.run(record, original, this, args);
      } catch (error) {
        OpossumPatcher.#restoreAction(record);
        patcher.#current = previous;
        patcher.#end(record, error, true);
        throw error;
      }
      OpossumPatcher.#restoreAction(record);
      patcher.#current = previous;
      try {
        return patcher.#returned(this, record, result);
      } catch (error) {
        reportInstrumentationError('observing an opossum call', error);
        return result;
      }
    };
  }

  // What the call's synchronous part tells about its outcome; returns what the caller gets.
  #returned(breaker: OpossumBreaker, record: CallRecord, result: unknown): unknown {
    const flags = record.flags;
    if (flags & COALESCED) return this.#follow(record, result);
    if (flags & CACHE_HIT) {
      this.#finish(record, CircuitBreakerOutcome.SUCCESS, undefined, false);
      return result;
    }
    if (flags & INVOKED) {
      const actionResult = record.result;
      record.result = undefined;
      if (flags & THREW) {
        // opossum handled the throw synchronously.
        this.#decided(record, actionResult, true);
      } else if (isPromise(actionResult)) {
        observeSettled(actionResult, record, this.#actionSettled);
      } else if (isThenable(actionResult)) {
        // opossum calls its `then`; a second call could start the work again.
        return this.#settle(breaker, record, result);
      } else {
        // opossum resolves a value in its own promise, whose handler runs before this one.
        queueMicrotask(() => this.#decided(record, undefined, false));
      }
      this.#share(breaker, record, result);
      return result;
    }
    if (record.outcome !== undefined) {
      // Refused (open, semaphore full): opossum decided synchronously.
      this.#decided(record, undefined, false);
      this.#share(breaker, record, result);
      return result;
    }
    if (!(flags & FIRED) && breaker.isShutdown) {
      this.#finish(record, CircuitBreakerOutcome.REJECTED, shutdownError(), true);
      return result;
    }
    // A disabled breaker returns the action's own promise, which nothing else handles.
    return this.#settle(breaker, record, result);
  }

  #settle(breaker: OpossumBreaker, record: CallRecord, result: unknown): unknown {
    // With a cache or coalescing, opossum returns one promise to several calls.
    const options = breaker.options;
    return settle(record, result, this.#settled, options !== undefined && Boolean(options.cache || options.coalesce));
  }

  // A promise that coalescing may hand to later calls of the same key.
  #share(breaker: OpossumBreaker, record: CallRecord, result: unknown): void {
    if (!breaker.options?.coalesce || typeof result !== 'object' || result === null) return;
    const shared: SharedCall = { followers: [], ended: undefined };
    record.shared = shared;
    this.#shared.set(result, shared);
  }

  // A coalesced call: it ends as the call whose promise it got.
  #follow(record: CallRecord, result: unknown): unknown {
    const shared = typeof result === 'object' && result !== null ? this.#shared.get(result) : undefined;
    if (shared === undefined) return settle(record, result, this.#settled, true);
    if (shared.ended === undefined) shared.followers.push(record);
    else this.#finish(record, shared.ended.outcome, shared.ended.error, shared.ended.rejected);
    return result;
  }

  // Stands the observer in for the breaker's action until the action runs.
  #observeAction(breaker: OpossumBreaker): void {
    const record = this.#ownCall(breaker);
    if (record === undefined || record.flags & OBSERVING || !breaker.enabled) return;
    const action = breaker.action;
    if (typeof action !== 'function') return;
    const observer = OpossumPatcher.#observer(record);
    // A frozen breaker keeps its action: the call is then observed through settle().
    if (!Reflect.set(breaker, 'action', observer) || breaker.action !== observer) return;
    record.action = action;
    record.observer = observer;
    record.flags |= OBSERVING;
  }

  // Runs the call's action once as opossum would, and keeps what it returned or threw.
  static #observer(record: CallRecord): AnyFunction {
    const observer = function (this: unknown, ...args: unknown[]): unknown {
      const action = record.action as AnyFunction;
      // Called again, or after the call's synchronous part by code that kept it: the action.
      if (record.observer !== observer) return Reflect.apply(action, this, args);
      OpossumPatcher.#restoreAction(record);
      record.flags |= INVOKED;
      let result: unknown;
      try {
        result = Reflect.apply(action, this, args);
      } catch (error) {
        record.flags |= THREW;
        record.result = error;
        throw error;
      }
      record.result = result;
      return result;
    };
    return observer;
  }

  // Puts the action back where the observer stood, unless the application replaced it since.
  static #restoreAction(record: CallRecord): void {
    const observer = record.observer;
    if (observer === undefined) return;
    const breaker = record.breaker as OpossumBreaker;
    if (breaker.action === observer) Reflect.set(breaker, 'action', record.action);
    record.observer = undefined;
  }

  // opossum has decided the call: `actionError` is what the action or its timeout rejected
  // with when `actionRejected`. A fallback opossum adopts decides whether the caller rejects.
  #decided(record: CallRecord, actionError: unknown, actionRejected: boolean): void {
    if (record.flags & DECIDED) return;
    record.flags |= DECIDED;
    if (record.outcome === undefined) {
      this.#end(record, actionError, actionRejected);
      return;
    }
    if (!record.fallbackExecuted) {
      this.#end(record, undefined, true);
      return;
    }
    const fallback = record.fallbackResult;
    record.fallbackResult = undefined;
    // An open breaker hands the fallback's promise to the caller, which alone may handle it.
    if (!(record.flags & REFUSED) && isPromise(fallback)) observeSettled(fallback, record, this.#fallbackSettled);
    else this.#end(record, undefined, false);
  }

  // Classifies how the call ended: `callerError` is what the caller got when `rejected`.
  #end(record: CallRecord, callerError: unknown, rejected: boolean): void {
    try {
      const outcome = record.outcome ?? (rejected ? this.#unreportedRejection(record, callerError) : CircuitBreakerOutcome.SUCCESS);
      const error = record.error !== undefined ? record.error : callerError;
      this.#finish(record, outcome, error, rejected);
    } catch (error) {
      reportInstrumentationError('ending an opossum call', error);
    }
  }

  // Ends the call once, and the calls that shared its promise.
  #finish(record: CallRecord, outcome: CircuitBreakerOutcome, error: unknown, rejected: boolean): void {
    if (record.flags & ENDED) return;
    record.flags |= ENDED | DECIDED;
    if (this.#lastFailed === record) this.#lastFailed = undefined;
    if (record.arguments !== undefined) this.#inFlight.remove(record);
    try {
      this.telemetry.recorder.end(this.telemetry.calls, record, outcome, error, rejected);
    } catch (caught) {
      reportInstrumentationError('ending an opossum call', caught);
    }
    const shared = record.shared;
    if (shared === undefined) return;
    shared.ended = { outcome, error, rejected };
    for (const follower of shared.followers.splice(0)) this.#finish(follower, outcome, error, rejected);
  }

  // A rejection that no failure, timeout or refusal event explained.
  #unreportedRejection(record: CallRecord, error: unknown): CircuitBreakerOutcome {
    const ours = typeof error === 'object' && error !== null && this.#isOpossumError(error);
    if (ours && REFUSAL_CODES.has(errorCode(error) as string)) return CircuitBreakerOutcome.REJECTED;
    // A disabled breaker passes calls through without counting anything.
    if (record.state === CircuitBreakerState.DISABLED) return CircuitBreakerOutcome.FAILURE;
    // A coalesced call shares another call's promise, whose events were that call's.
    if (record.flags & COALESCED) {
      return ours && errorCode(error) === 'ETIMEDOUT' ? CircuitBreakerOutcome.TIMEOUT : CircuitBreakerOutcome.FAILURE;
    }
    // Otherwise opossum emitted `success` for the error: errorFilter matched it.
    return CircuitBreakerOutcome.IGNORED;
  }

  #isOpossumError(error: object): boolean {
    for (const isOurError of this.#ourErrorChecks) if (isOurError(error)) return true;
    return false;
  }

  static #wrapEmit(patcher: OpossumPatcher, original: AnyFunction): AnyFunction {
    return function emit(this: OpossumBreaker, event: unknown): unknown {
      // eslint-disable-next-line prefer-rest-params
      const args = arguments;
      // `success` is emitted by nearly every call and needs nothing: skip it first.
      if (event === 'success') return Reflect.apply(original, this, args);
      try {
        patcher.#observe(this, event, args);
      } catch (error) {
        reportInstrumentationError('observing an opossum event', error);
      }
      const result: unknown = Reflect.apply(original, this, args);
      // After the listeners: none of them sees the observer in place of the action.
      if (event === 'fire') {
        try {
          patcher.#observeAction(this);
        } catch (error) {
          reportInstrumentationError('observing an opossum call', error);
        }
      }
      return result;
    };
  }

  #ownCall(breaker: OpossumBreaker): CallRecord | undefined {
    const current = this.#current;
    return current !== undefined && current.breaker === breaker ? current : undefined;
  }

  // `args` is emit's own `arguments`: the event name, then the event's values.
  #observe(breaker: OpossumBreaker, event: unknown, args: IArguments): void {
    const first: unknown = args[1];
    switch (event) {
      case 'fire': {
        const record = this.#ownCall(breaker);
        if (record === undefined) return;
        record.flags |= FIRED;
        if (record.arguments === undefined && typeof first === 'object' && first !== null) {
          record.arguments = first;
          this.#inFlight.add(record);
        }
        return;
      }
      case 'reject':
      case 'semaphoreLocked': {
        const record = this.#ownCall(breaker);
        if (record !== undefined) {
          OpossumPatcher.#restoreAction(record);
          record.outcome = CircuitBreakerOutcome.REJECTED;
          record.error = first;
          if (event === 'reject') record.flags |= REFUSED;
        }
        return;
      }
      case 'cacheHit':
      case 'coalesceCacheHit': {
        const record = this.#ownCall(breaker);
        if (record !== undefined) {
          OpossumPatcher.#restoreAction(record);
          record.flags |= event === 'cacheHit' ? CACHE_HIT : COALESCED;
        }
        return;
      }
      case 'timeout': {
        // (error, latency, arguments)
        const record = this.#recordOf(args[3]);
        if (record !== undefined) {
          record.flags |= TIMED_OUT;
          record.error = first;
          // opossum handles the timeout synchronously after this event.
          queueMicrotask(() => this.#decided(record, first, true));
        }
        return;
      }
      case 'failure': {
        // (error, latency, arguments)
        const record = this.#recordOf(args[3]) ?? this.#ownCall(breaker);
        if (record !== undefined) {
          if (record.outcome === undefined) {
            record.outcome = record.flags & TIMED_OUT ? CircuitBreakerOutcome.TIMEOUT : CircuitBreakerOutcome.FAILURE;
            record.error = first;
          }
          this.#lastFailed = record;
        }
        this.#track(breaker).pendingOpenErrorType = resolveErrorType(first);
        return;
      }
      case 'fallback': {
        // (result, error): the error of the failure that just happened, or of the refusal
        // of the call whose synchronous part is running.
        const error: unknown = args[2];
        const lastFailed = this.#lastFailed;
        this.#lastFailed = undefined;
        const record = lastFailed !== undefined && lastFailed.error === error ? lastFailed : this.#ownCall(breaker);
        if (record !== undefined && record.error === error) {
          record.fallbackExecuted = true;
          record.fallbackResult = first;
        }
        return;
      }
      case 'healthCheckFailed':
        this.#track(breaker).pendingOpenErrorType = resolveErrorType(first);
        return;
      case 'open': {
        const tracked = this.#track(breaker, CircuitBreakerState.CLOSED);
        const errorType = tracked.pendingOpenErrorType;
        tracked.pendingOpenErrorType = undefined;
        this.telemetry.events.transition(tracked, CircuitBreakerState.OPEN, errorType);
        return;
      }
      case 'halfOpen':
        this.telemetry.events.transition(this.#track(breaker, CircuitBreakerState.CLOSED), CircuitBreakerState.HALF_OPEN);
        return;
      case 'close':
        this.telemetry.events.transition(this.#track(breaker, CircuitBreakerState.CLOSED), CircuitBreakerState.CLOSED);
        return;
      case 'shutdown':
        this.telemetry.events.transition(this.#track(breaker), CircuitBreakerState.FORCED_OPEN);
        return;
    }
  }

  #recordOf(callArguments: unknown): CallRecord | undefined {
    return typeof callArguments === 'object' && callArguments !== null ? this.#inFlight.find(callArguments) : undefined;
  }

  static #wrapEnable(patcher: OpossumPatcher, original: AnyFunction): AnyFunction {
    return function enable(this: OpossumBreaker, ...args: unknown[]): unknown {
      const tracked = safely('observing opossum enable()', () => patcher.#track(this));
      const result: unknown = Reflect.apply(original, this, args);
      safely('observing opossum enable()', () => {
        if (tracked !== undefined && !this.isShutdown) patcher.telemetry.events.transition(tracked, protectionStateOf(this));
      });
      return result;
    };
  }

  static #wrapDisable(patcher: OpossumPatcher, original: AnyFunction): AnyFunction {
    return function disable(this: OpossumBreaker, ...args: unknown[]): unknown {
      // Tracked before the change, so that a first sighting records the state it left.
      const tracked = safely('observing opossum disable()', () => patcher.#track(this));
      const result: unknown = Reflect.apply(original, this, args);
      // shutdown() disables the breaker too; it stays forced open.
      if (tracked !== undefined && tracked.state !== CircuitBreakerState.FORCED_OPEN) {
        patcher.telemetry.events.transition(tracked, CircuitBreakerState.DISABLED);
      }
      return result;
    };
  }

  static #wrapHealthCheck(patcher: OpossumPatcher, original: AnyFunction): AnyFunction {
    return function healthCheck(this: OpossumBreaker, check: unknown, ...rest: unknown[]): unknown {
      if (typeof check !== 'function') return Reflect.apply(original, this, [check, ...rest]);
      return Reflect.apply(original, this, [OpossumPatcher.#timedCheck(patcher, this, check as AnyFunction), ...rest]);
    };
  }

  // The user's health check, measured; opossum calls it with the breaker as `this`.
  static #timedCheck(patcher: OpossumPatcher, breaker: OpossumBreaker, check: AnyFunction): AnyFunction {
    return function timedCheck(this: unknown, ...args: unknown[]): unknown {
      const start = monotonicMillis();
      const result: unknown = Reflect.apply(check, this, args);
      safely('timing an opossum health check', () => {
        if (!isThenable(result)) return;
        const tracked = patcher.#track(breaker);
        // opossum handles the rejection itself; this reaction only observes it.
        result.then(
          () => patcher.telemetry.events.healthCheck(tracked, secondsSince(start), undefined),
          (error: unknown) => patcher.telemetry.events.healthCheck(tracked, secondsSince(start), resolveErrorType(error)),
        );
      });
      return result;
    };
  }

}
