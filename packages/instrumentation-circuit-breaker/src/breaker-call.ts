import type { Histogram, Span } from '@opentelemetry/api';
import { Operation, runHook, type OperationKind } from '@dyntel/instrumentation-kit';
import {
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_FALLBACK_EXECUTED,
  CircuitBreakerOutcome,
  type CircuitBreakerState,
} from '@dyntel/semconv';
import type { TrackedBreaker } from './tracked-breaker';
import type { CircuitBreakerCallInfo, CircuitBreakerInstrumentationConfig } from './types';

/**
 * One protected call in flight. The library patchers fill in what the library tells them
 * (outcome, error, fallback) while the call runs.
 */
export class CallRecord extends Operation<TrackedBreaker> {
  /** The outcome the library reported; undefined until it reports a failure, timeout or rejection. */
  outcome: CircuitBreakerOutcome | undefined = undefined;
  /** The error that goes with {@link outcome}. */
  error: unknown = undefined;
  fallbackExecuted = false;
  /** Whether the library invoked the user's function (cockatiel). */
  invoked = false;
  /** Bit flags private to the library patcher that owns the call. */
  flags = 0;
  /** The arguments array the library identifies the call by in its events (opossum). */
  arguments: object | undefined = undefined;
  /** The calls started before and after this one, while listed in the calls in flight (opossum). */
  older: CallRecord | undefined = undefined;
  newer: CallRecord | undefined = undefined;
  /**
   * While the call's synchronous part runs (opossum): the library's action and the function
   * standing in for it, which tells the patcher what the action returned or threw.
   */
  action: unknown = undefined;
  observer: unknown = undefined;
  /** What the user's function returned or threw, until the patcher reads it. */
  result: unknown = undefined;
  /** What the fallback returned, until the call ends (opossum). */
  fallbackResult: unknown = undefined;
  /** The calls that share this call's promise, and its end once known (opossum's coalescing). */
  shared: SharedCall | undefined = undefined;

  constructor(
    readonly breaker: object,
    tracked: TrackedBreaker,
    /** The breaker's state when the call started. */
    readonly state: CircuitBreakerState,
  ) {
    super(tracked);
  }
}

/** A call whose promise the library hands to later calls too, and those calls. */
export interface SharedCall {
  readonly followers: CallRecord[];
  ended: { outcome: CircuitBreakerOutcome; error: unknown; rejected: boolean } | undefined;
}

/** What the call kind reads from its instrumentation, live. */
export interface BreakerCallHost {
  config(): CircuitBreakerInstrumentationConfig;
  callDuration(): Histogram;
}

/** The `circuit_breaker.call` operation: its outcome enum, its histogram, its span attributes and hooks. */
export class BreakerCallKind implements OperationKind<CircuitBreakerOutcome, CallRecord> {
  readonly label = 'circuit breaker call';
  readonly outcomeAttribute = ATTR_CIRCUIT_BREAKER_OUTCOME;
  readonly successOutcome = CircuitBreakerOutcome.SUCCESS;

  constructor(private readonly host: BreakerCallHost) {}

  histogram(): Histogram {
    return this.host.callDuration();
  }

  onStart(span: Span, call: CallRecord): void {
    const hook = this.host.config().requestHook;
    if (hook === undefined) return;
    runHook('circuit breaker requestHook', hook, span, callInfo(call));
  }

  onEnd(span: Span, call: CallRecord, outcome: CircuitBreakerOutcome, error: unknown, rejected: boolean): void {
    span.setAttribute(ATTR_FALLBACK_EXECUTED, call.fallbackExecuted);
    const hook = this.host.config().responseHook;
    if (hook === undefined) return;
    runHook('circuit breaker responseHook', hook, span, {
      ...callInfo(call),
      outcome,
      fallbackExecuted: call.fallbackExecuted,
      error,
      rejected,
    });
  }
}

/** What the hooks are told about a call. */
function callInfo(call: CallRecord): CircuitBreakerCallInfo {
  const tracked = call.component;
  return { library: tracked.library, breaker: call.breaker, name: tracked.label.spanAttribute, state: call.state };
}
