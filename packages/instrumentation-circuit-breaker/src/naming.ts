import { ComponentNaming } from '@dyntel/instrumentation-kit';
import { ATTR_CIRCUIT_BREAKER_NAME } from '@dyntel/semconv';

/** The names of circuit breakers, shared by every copy of this package in the process. */
export const breakerNames = new ComponentNaming(
  ATTR_CIRCUIT_BREAKER_NAME,
  'a circuit breaker object (an opossum CircuitBreaker or a cockatiel CircuitBreakerPolicy)',
);

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
  return breakerNames.give('nameCircuitBreaker', breaker, name);
}
