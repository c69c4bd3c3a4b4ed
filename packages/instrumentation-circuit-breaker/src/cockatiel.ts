import { CircuitBreakerOutcome, CircuitBreakerState, OTHER_VALUE } from '@dyntel/semconv';
import {
  isPromise,
  isThenable,
  observeSettled,
  reportInstrumentationError,
  resolveErrorType,
  safely,
  settle,
  type AnyFunction,
  type ModulePatcher,
  type Shim,
} from '@dyntel/instrumentation-kit';
import { CallRecord } from './breaker-call';
import type { BreakerTelemetry } from './telemetry';
import type { TrackedBreaker } from './tracked-breaker';

/** A cockatiel failure: a thrown error or a result the policy treats as a failure. */
type FailureReason = { error: unknown } | { value: unknown };

interface Disposable {
  dispose(): void;
}

/** The parts of a cockatiel `CircuitBreakerPolicy` (3 and 4) the instrumentation reads. */
interface CockatielPolicy {
  readonly state: number;
  readonly lastFailure: FailureReason | undefined;
  onStateChange(listener: (state: number) => void): Disposable;
  onFailure(listener: (event: { handled: boolean; reason: FailureReason }) => void): Disposable;
}

type CircuitBreakerPrototype = Record<string, unknown>;

type ErrorClass = new () => Error;

interface CockatielModule {
  CircuitBreakerPolicy?: { prototype: CircuitBreakerPrototype };
  CircuitState?: Record<string, unknown>;
  BrokenCircuitError?: ErrorClass;
  IsolatedCircuitError?: ErrorClass;
}

/** What the patcher keeps per policy. */
interface PolicyWatch {
  readonly tracked: TrackedBreaker;
  /**
   * Failures the policy counted (its error filter handled them, or its result filter flagged
   * a value) and whose call has not ended yet, by error or value. A call that ends with one of
   * them was a counted failure; a call that ends with another error was `ignored`.
   */
  readonly counted: Map<unknown, number>;
}

// Marks the function the patcher hands to execute(), so that cockatiel's own re-entrant
// execute() calls (a call that waited for a half-open decision) are not recorded twice.
const INSTRUMENTED = Symbol('dyntel.circuit-breaker.instrumented');

// cockatiel's CircuitState enum, in case a module does not export it.
const DEFAULT_CIRCUIT_STATE = { Closed: 0, Open: 1, HalfOpen: 2, Isolated: 3 };

// CallRecord.flags of a cockatiel call: execute() runs synchronously; the function threw.
const RUNNING = 1;
const THREW = 2;

/**
 * Instruments cockatiel 3 and 4 by wrapping `CircuitBreakerPolicy.prototype.execute` (the call
 * span and duration) and `isolate` (so that a breaker isolated before its first call is
 * watched). State changes come from the policy's public `onStateChange` event, and which
 * failures counted from its `onFailure` event, subscribed once per policy on first sight.
 *
 * The caller gets cockatiel's own promise, untouched: a derived promise would run the caller's
 * callbacks a microtask late. Where the function runs during execute()'s synchronous part, the
 * outcome comes from the function's promise, which cockatiel awaits, so a side branch on it
 * changes nothing, and which settles before cockatiel has emitted `onFailure` for it. A call
 * refused without running the function (open, isolated) leaves the policy in that state, and
 * is recorded with an error of the class cockatiel rejects it with: the caller's promise is
 * the only holder of that error, and reading it would mark it handled. A call that waits for a
 * half-open decision, or whose function returns a thenable that is not a promise, is observed
 * through `settle()`, and those callers' callbacks run a microtask late.
 */
export class CockatielPatcher implements ModulePatcher<CockatielModule> {
  readonly moduleName = 'cockatiel';
  readonly #policies = new WeakMap<object, PolicyWatch>();
  readonly #patched = new Set<object>();
  #states = new Map<number, CircuitBreakerState>();
  // The CircuitState values that refuse a call, and the error classes cockatiel refuses with.
  #open = DEFAULT_CIRCUIT_STATE.Open;
  #isolated = DEFAULT_CIRCUIT_STATE.Isolated;
  #refusals: { broken?: ErrorClass; isolated?: ErrorClass } = {};
  // How a call's result settled, bound once: settle() calls it with no closure per call.
  readonly #settled = (record: CallRecord, rejected: boolean, settled: unknown): void => this.#end(record, rejected, settled);
  // How the function's promise settled. cockatiel's own continuation (counting the failure,
  // opening or closing the breaker) is queued right after this reaction: the call ends after it.
  readonly #fnSettled = (record: CallRecord, rejected: boolean, settled: unknown): void =>
    queueMicrotask(() => this.#end(record, rejected, settled));

  constructor(
    private readonly telemetry: BreakerTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  /** The module that exports `CircuitBreakerPolicy`: the CJS exports, the ESM namespace, or its default. */
  resolve(moduleExports: unknown): CockatielModule | undefined {
    for (const candidate of [moduleExports, (moduleExports as { default?: unknown } | null)?.default]) {
      const policy: unknown = (candidate as CockatielModule | null | undefined)?.CircuitBreakerPolicy;
      if (typeof policy === 'function' && typeof (policy.prototype as CircuitBreakerPrototype | undefined)?.execute === 'function') {
        return candidate as CockatielModule;
      }
    }
    return undefined;
  }

  prototypeOf(module: CockatielModule): object {
    return module.CircuitBreakerPolicy!.prototype;
  }

  /** Wraps `CircuitBreakerPolicy.prototype` in place. */
  patch(module: CockatielModule): void {
    const enumeration = { ...DEFAULT_CIRCUIT_STATE, ...(module.CircuitState ?? {}) } as Record<string, number>;
    this.#states = new Map([
      [enumeration.Closed!, CircuitBreakerState.CLOSED],
      [enumeration.Open!, CircuitBreakerState.OPEN],
      [enumeration.HalfOpen!, CircuitBreakerState.HALF_OPEN],
      [enumeration.Isolated!, CircuitBreakerState.FORCED_OPEN],
    ]);
    this.#open = enumeration.Open!;
    this.#isolated = enumeration.Isolated!;
    this.#refusals = { broken: module.BrokenCircuitError, isolated: module.IsolatedCircuitError };
    const proto = module.CircuitBreakerPolicy!.prototype;
    this.shim.wrap(proto, 'execute', (original) => CockatielPatcher.#wrapExecute(this, original));
    this.shim.wrap(proto, 'isolate', (original) => CockatielPatcher.#wrapIsolate(this, original));
    this.#patched.add(proto);
  }

  /** Restores the prototype; subscriptions already made stay but record nothing. */
  unpatch(module: CockatielModule): void {
    const proto = module.CircuitBreakerPolicy!.prototype;
    this.shim.unwrap(proto, 'execute');
    this.shim.unwrap(proto, 'isolate');
    this.#patched.delete(proto);
  }

  #stateOf(policy: CockatielPolicy): CircuitBreakerState {
    return this.#states.get(policy.state) ?? CircuitBreakerState.CLOSED;
  }

  // Whether the policy's class (or the class it extends) is patched right now.
  #isActive(policy: object): boolean {
    for (const proto of this.#patched) if (Object.prototype.isPrototypeOf.call(proto, policy)) return true;
    return false;
  }

  #watch(policy: CockatielPolicy): PolicyWatch {
    let watch = this.#policies.get(policy);
    if (watch !== undefined) return watch;
    const tracked = this.telemetry.track(policy, 'cockatiel', this.#stateOf(policy), undefined);
    const counted = new Map<unknown, number>();
    watch = { tracked, counted };
    this.#policies.set(policy, watch);
    policy.onStateChange((state) =>
      safely('observing a cockatiel state change', () => {
        if (!this.#isActive(policy)) return;
        const next = this.#states.get(state) ?? CircuitBreakerState.CLOSED;
        const errorType = next === CircuitBreakerState.OPEN ? failureType(policy.lastFailure) : undefined;
        this.telemetry.events.transition(tracked, next, errorType);
      }),
    );
    policy.onFailure(({ handled, reason }) =>
      safely('observing a cockatiel failure', () => {
        if (!handled || !this.#isActive(policy)) return;
        const key = 'error' in reason ? reason.error : reason.value;
        counted.set(key, (counted.get(key) ?? 0) + 1);
      }),
    );
    return watch;
  }

  static #wrapExecute(patcher: CockatielPatcher, original: AnyFunction): AnyFunction {
    const { recorder, calls } = patcher.telemetry;
    return function execute(this: CockatielPolicy, fn: unknown, ...rest: unknown[]): unknown {
      if (typeof fn !== 'function' || INSTRUMENTED in fn) return Reflect.apply(original, this, [fn, ...rest]);
      // try/catch rather than safely(): no closure per call on the hot path.
      let record: CallRecord | undefined;
      try {
        const tracked = patcher.#watch(this).tracked;
        const state = patcher.#stateOf(this);
        record = new CallRecord(this, tracked, state);
        recorder.begin(calls, record, tracked.callSpanOptions(state));
      } catch (error) {
        reportInstrumentationError('starting a cockatiel call', error);
        record = undefined;
      }
      if (record === undefined) return Reflect.apply(original, this, [fn, ...rest]);
      const started = record;
      const invoke = function (this: unknown, ...args: unknown[]): unknown {
        started.invoked = true;
        // Kept only while execute() runs synchronously: the patcher reads it right after.
        if (!(started.flags & RUNNING)) return Reflect.apply(fn, this, args);
        try {
          return (started.result = Reflect.apply(fn, this, args));
        } catch (error) {
          started.flags |= THREW;
          started.result = error;
          throw error;
        }
      };
      (invoke as unknown as Record<symbol, boolean>)[INSTRUMENTED] = true;
      let result: unknown;
      record.flags |= RUNNING;
      try {
        result = recorder.run(record, original, this, [invoke, ...rest]);
      } catch (error) {
        record.flags &= ~RUNNING;
        patcher.#end(record, true, error);
        throw error;
      }
      record.flags &= ~RUNNING;
      try {
        return patcher.#returned(this, record, result);
      } catch (error) {
        reportInstrumentationError('observing a cockatiel call', error);
        return result;
      }
    };
  }

  // What execute()'s synchronous part tells about the call; returns what the caller gets.
  #returned(policy: CockatielPolicy, record: CallRecord, result: unknown): unknown {
    if (!record.invoked) {
      const state = policy.state;
      const refusal = state === this.#open ? this.#refusals.broken : state === this.#isolated ? this.#refusals.isolated : undefined;
      if (refusal === undefined) return settle(record, result, this.#settled);
      this.#end(record, true, new refusal());
      return result;
    }
    const fnResult = record.result;
    record.result = undefined;
    if (record.flags & THREW) {
      // cockatiel caught the throw synchronously and told its failure listeners; what it does
      // next (count, open) is already queued.
      this.#fnSettled(record, true, fnResult);
    } else if (isPromise(fnResult)) {
      observeSettled(fnResult, record, this.#fnSettled);
    } else if (isThenable(fnResult)) {
      // cockatiel calls its `then`; a second call could start the work again.
      return settle(record, result, this.#settled);
    } else {
      // cockatiel awaits the value: its continuation is queued first, and queues what follows.
      queueMicrotask(() => this.#fnSettled(record, false, fnResult));
    }
    return result;
  }

  // `settled` is the value the call resolved with, or the error it rejected with.
  #end(record: CallRecord, rejected: boolean, settled: unknown): void {
    try {
      let outcome: CircuitBreakerOutcome;
      let error: unknown = rejected ? settled : undefined;
      if (!record.invoked) {
        // The policy never ran the function: open, isolated, or cancelled while half-open.
        outcome = rejected ? CircuitBreakerOutcome.REJECTED : CircuitBreakerOutcome.SUCCESS;
      } else if (consume(this.#watch(record.breaker as CockatielPolicy).counted, settled)) {
        // A counted failure; when the call resolved, a result filter flagged its value.
        outcome = CircuitBreakerOutcome.FAILURE;
      } else {
        outcome = rejected ? CircuitBreakerOutcome.IGNORED : CircuitBreakerOutcome.SUCCESS;
      }
      if (!rejected && outcome === CircuitBreakerOutcome.FAILURE) error = undefined;
      this.telemetry.recorder.end(this.telemetry.calls, record, outcome, error, rejected);
    } catch (caught) {
      reportInstrumentationError('ending a cockatiel call', caught);
    }
  }

  static #wrapIsolate(patcher: CockatielPatcher, original: AnyFunction): AnyFunction {
    return function isolate(this: CockatielPolicy, ...args: unknown[]): unknown {
      safely('watching a cockatiel policy', () => patcher.#watch(this));
      return Reflect.apply(original, this, args);
    };
  }
}

function consume(counted: Map<unknown, number>, key: unknown): boolean {
  const count = counted.get(key);
  if (count === undefined) return false;
  if (count <= 1) counted.delete(key);
  else counted.set(key, count - 1);
  return true;
}

function failureType(reason: FailureReason | undefined): string | undefined {
  if (reason === undefined) return undefined;
  return 'error' in reason ? resolveErrorType(reason.error) : OTHER_VALUE;
}
