import { CircuitBreakerOutcome, CircuitBreakerState, OTHER_VALUE } from '@dyntel/semconv';
import {
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

interface CockatielModule {
  CircuitBreakerPolicy?: { prototype: CircuitBreakerPrototype };
  CircuitState?: Record<string, unknown>;
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

/**
 * Instruments cockatiel 3 and 4 by wrapping `CircuitBreakerPolicy.prototype.execute` (the call
 * span and duration) and `isolate` (so that a breaker isolated before its first call is
 * watched). State changes come from the policy's public `onStateChange` event, and which
 * failures counted from its `onFailure` event, subscribed once per policy on first sight.
 */
export class CockatielPatcher implements ModulePatcher<CockatielModule> {
  readonly moduleName = 'cockatiel';
  readonly #policies = new WeakMap<object, PolicyWatch>();
  readonly #patched = new Set<object>();
  #states = new Map<number, CircuitBreakerState>();
  // How a call's result settled, bound once: settle() calls it with no closure per call.
  readonly #settled = (record: CallRecord, rejected: boolean, settled: unknown): void => this.#end(record, rejected, settled);

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
        return Reflect.apply(fn, this, args);
      };
      (invoke as unknown as Record<symbol, boolean>)[INSTRUMENTED] = true;
      let result: unknown;
      try {
        result = recorder.run(record, original, this, [invoke, ...rest]);
      } catch (error) {
        patcher.#end(record, true, error);
        throw error;
      }
      return settle(record, result, patcher.#settled);
    };
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
