import { CircuitBreakerOutcome, CircuitBreakerState } from '@dyntel/semconv';
import {
  isThenable,
  monotonicMillis,
  reportInstrumentationError,
  resolveErrorType,
  safely,
  secondsSince,
  settle,
  type AnyFunction,
  type ModulePatcher,
  type Shim,
} from '@dyntel/instrumentation-kit';
import { CallRecord } from './breaker-call';
import { CallsInFlight } from './calls-in-flight';
import type { BreakerTelemetry } from './telemetry';
import type { TrackedBreaker } from './tracked-breaker';

/** The parts of an opossum `CircuitBreaker` (6 to 10) the instrumentation reads. */
interface OpossumBreaker {
  readonly name?: unknown;
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

// Errors opossum creates itself to refuse a call: open circuit, full semaphore, shut down.
const REFUSAL_CODES = new Set(['EOPENBREAKER', 'ESEMLOCKED', 'ESHUTDOWN']);

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
        patcher.#current = previous;
        patcher.#end(record, error, true);
        throw error;
      }
      patcher.#current = previous;
      // With a cache or coalescing, opossum returns one promise to several calls.
      const options = this.options;
      return settle(record, result, patcher.#settled, options !== undefined && Boolean(options.cache || options.coalesce));
    };
  }

  #end(record: CallRecord, callerError: unknown, rejected: boolean): void {
    if (this.#lastFailed === record) this.#lastFailed = undefined;
    if (record.arguments !== undefined) this.#inFlight.remove(record);
    try {
      const outcome = record.outcome ?? (rejected ? this.#unreportedRejection(record, callerError) : CircuitBreakerOutcome.SUCCESS);
      const error = record.error !== undefined ? record.error : callerError;
      this.telemetry.recorder.end(this.telemetry.calls, record, outcome, error, rejected);
    } catch (error) {
      reportInstrumentationError('ending an opossum call', error);
    }
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
      if (event !== 'success') {
        try {
          patcher.#observe(this, event, args);
        } catch (error) {
          reportInstrumentationError('observing an opossum event', error);
        }
      }
      return Reflect.apply(original, this, args);
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
        if (record !== undefined && record.arguments === undefined && typeof first === 'object' && first !== null) {
          record.arguments = first;
          this.#inFlight.add(record);
        }
        return;
      }
      case 'reject':
      case 'semaphoreLocked': {
        const record = this.#ownCall(breaker);
        if (record !== undefined) {
          record.outcome = CircuitBreakerOutcome.REJECTED;
          record.error = first;
        }
        return;
      }
      case 'coalesceCacheHit': {
        const record = this.#ownCall(breaker);
        if (record !== undefined) record.flags |= COALESCED;
        return;
      }
      case 'timeout': {
        // (error, latency, arguments)
        const record = this.#recordOf(args[3]);
        if (record !== undefined) {
          record.flags |= TIMED_OUT;
          record.error = first;
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
        if (record !== undefined && record.error === error) record.fallbackExecuted = true;
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
