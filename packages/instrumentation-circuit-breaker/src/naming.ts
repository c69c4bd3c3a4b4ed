import { ATTR_CIRCUIT_BREAKER_NAME, OTHER_VALUE } from '@dyntel/semconv';
import { cardinalityGuardFor, looksGenerated } from '@dyntel/instrumentation-kit';
import type { BreakerNameInfo, CircuitBreakerInstrumentationConfig } from './types';

// On globalThis so that a name given through the ESM build of this package is seen by the
// CJS build that `--require @dyntel/register` loaded, and the other way round.
const NAMES_KEY = Symbol.for('@dyntel/instrumentation-circuit-breaker/names');

function namesRegistry(): WeakMap<object, string> {
  const holder = globalThis as { [NAMES_KEY]?: WeakMap<object, string> };
  return (holder[NAMES_KEY] ??= new WeakMap());
}

/**
 * Gives a circuit breaker a name, for cockatiel policies (which have none) or to override
 * opossum's. Call it before the breaker's first call; it returns the breaker, so it can wrap
 * the expression that creates it:
 *
 * ```ts
 * const inventory = nameCircuitBreaker(circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker }), 'inventory');
 * ```
 */
export function nameCircuitBreaker<T extends object>(breaker: T, name: string): T {
  if ((typeof breaker !== 'object' && typeof breaker !== 'function') || breaker === null) {
    throw new TypeError(
      `nameCircuitBreaker: expected a circuit breaker object (an opossum CircuitBreaker or a cockatiel CircuitBreakerPolicy) as the first argument, got ${describe(breaker)}`,
    );
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`nameCircuitBreaker: expected a non-empty string name, got ${describe(name)}`);
  }
  namesRegistry().set(breaker, name);
  return breaker;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value === 'object' || typeof value === 'function' ? (value.constructor?.name ?? typeof value) : String(value);
}

/** How a breaker's name appears in telemetry. */
export interface BreakerLabel {
  /** The value of the name attribute on metrics: cardinality-guarded, possibly `_OTHER`. */
  metricName: string | undefined;
  /** The value of the name attribute on spans and events: the chosen name unless generated. */
  spanAttribute: string | undefined;
  /** The span name suffix: the chosen name unless generated or over the cardinality cap. */
  spanSuffix: string | undefined;
}

/**
 * Picks a breaker's name (helper, then config callback, then the library's own) and applies
 * the contract: generated-looking names are dropped everywhere, and metrics see at most 100
 * distinct names per process, then `_OTHER`.
 */
export function labelBreaker(
  breaker: object,
  info: BreakerNameInfo,
  config: CircuitBreakerInstrumentationConfig,
): BreakerLabel {
  const given = namesRegistry().get(breaker);
  const fromConfig = given === undefined ? config.breakerName?.(breaker, info) : undefined;
  const chosen = given ?? (typeof fromConfig === 'string' && fromConfig !== '' ? fromConfig : info.libraryName);
  if (chosen === undefined || chosen === '' || looksGenerated(chosen)) {
    return { metricName: undefined, spanAttribute: undefined, spanSuffix: undefined };
  }
  const metricName = cardinalityGuardFor(ATTR_CIRCUIT_BREAKER_NAME).admit(chosen);
  return { metricName, spanAttribute: chosen, spanSuffix: metricName === OTHER_VALUE ? undefined : metricName };
}
