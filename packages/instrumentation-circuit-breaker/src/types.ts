import type { DyntelInstrumentationConfig, SpanHook } from '@dyntel/instrumentation-kit';
import type { CircuitBreakerOutcome, CircuitBreakerState } from '@dyntel/semconv';

/** The circuit breaker libraries this package instruments. */
export type CircuitBreakerLibrary = 'opossum' | 'cockatiel';

/** What {@link CircuitBreakerInstrumentationConfig.breakerName} is told about a breaker. */
export interface BreakerNameInfo {
  library: CircuitBreakerLibrary;
  /** The name the library itself gives the breaker (opossum's `name`); cockatiel has none. */
  libraryName: string | undefined;
}

/** What {@link CircuitBreakerInstrumentationConfig.requestHook} is told when a protected call starts. */
export interface CircuitBreakerCallInfo {
  library: CircuitBreakerLibrary;
  /** The breaker object: an opossum `CircuitBreaker` or a cockatiel `CircuitBreakerPolicy`. */
  breaker: object;
  /** The breaker's name as recorded, if it has one. */
  name: string | undefined;
  /** The breaker's state when the call started. */
  state: CircuitBreakerState;
}

/** What {@link CircuitBreakerInstrumentationConfig.responseHook} is told when a protected call ends. */
export interface CircuitBreakerCallEndInfo extends CircuitBreakerCallInfo {
  outcome: CircuitBreakerOutcome;
  /** Whether a fallback ran (opossum); cockatiel breakers have no fallback of their own. */
  fallbackExecuted: boolean;
  /** The error the breaker saw or the caller received, if any. */
  error: unknown;
  /** Whether the caller's promise rejected. */
  rejected: boolean;
}

/** A hook that adds attributes to a call span. It runs only for recording spans; a throw is caught and reported. */
export type CircuitBreakerSpanHook<Info> = SpanHook<Info>;

/** Configuration of {@link CircuitBreakerInstrumentation}. Every option is optional. */
export interface CircuitBreakerInstrumentationConfig extends DyntelInstrumentationConfig {
  /**
   * Names a breaker the first time it is seen. Return `undefined` to keep the default:
   * the name given with {@link nameCircuitBreaker}, else the library's own name (opossum's
   * `options.name`, else its action's function name). Cockatiel policies have no name of their
   * own, so this callback or {@link nameCircuitBreaker} is how they get one. Generated-looking
   * names (UUIDs, long hex, pure numbers) are dropped whatever their source.
   */
  breakerName?: (breaker: object, info: BreakerNameInfo) => string | undefined;
  /** Adds attributes to the `circuit_breaker.call` span when the call starts. */
  requestHook?: CircuitBreakerSpanHook<CircuitBreakerCallInfo>;
  /** Adds attributes to the `circuit_breaker.call` span when the call ends, before it is ended. */
  responseHook?: CircuitBreakerSpanHook<CircuitBreakerCallEndInfo>;
}
