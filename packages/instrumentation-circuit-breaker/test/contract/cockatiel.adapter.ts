import type * as Cockatiel from 'cockatiel';
import { CircuitBreakerOutcome } from '@dyntel/semconv';
import { ContractError } from '@dyntel/test-support';
import { BREAKER_CONTRACT, BREAKER_NAME, breakerLoading, type BreakerAdapter } from './expected';

/** A class the contract's user functions never throw: errors of other classes are not handled. */
class NeverThrown extends Error {}

/** A breaker policy that opens after `threshold` consecutive handled failures. */
function policy(cockatiel: typeof Cockatiel, threshold = 3, handled: Cockatiel.Policy = cockatiel.handleAll) {
  return cockatiel.circuitBreaker(handled, { halfOpenAfter: 60_000, breaker: new cockatiel.ConsecutiveBreaker(threshold) });
}

/** The contract adapter for one installed cockatiel package (`cockatiel` or the alias `cockatiel-v3`). */
export function cockatielAdapter(pkg: string): BreakerAdapter<typeof Cockatiel> {
  return {
    ...BREAKER_CONTRACT,
    title: pkg,
    // Named through the config, not nameCircuitBreaker (which takes precedence), so that the
    // throwing-breakerName fault is exercised.
    config: { breakerName: () => BREAKER_NAME },
    // v4 is ESM only; v3's CommonJS exports come through import() as named exports too.
    library: (load) => load<typeof Cockatiel>(pkg, 'import'),
    cases: {
      [CircuitBreakerOutcome.SUCCESS]: {
        prepare: (cockatiel, probe) => {
          const breaker = policy(cockatiel);
          return () => breaker.execute(probe.succeed);
        },
      },
      [CircuitBreakerOutcome.FAILURE]: {
        prepare: (cockatiel, probe) => {
          const breaker = policy(cockatiel);
          return () => breaker.execute(probe.fail);
        },
        errorType: ContractError.name,
      },
      [CircuitBreakerOutcome.REJECTED]: {
        prepare: async (cockatiel, probe) => {
          const breaker = policy(cockatiel, 1);
          await breaker.execute(probe.fail).catch(() => {});
          return () => breaker.execute(probe.succeed);
        },
        errorType: 'BrokenCircuitError',
      },
      [CircuitBreakerOutcome.IGNORED]: {
        prepare: (cockatiel, probe) => {
          const breaker = policy(cockatiel, 3, cockatiel.handleType(NeverThrown));
          return () => breaker.execute(probe.fail);
        },
        errorType: ContractError.name,
      },
    },
    notProduced: {
      [CircuitBreakerOutcome.TIMEOUT]: 'a cockatiel circuit breaker has no timeout of its own',
    },
    ...(pkg === 'cockatiel' ? { loading: breakerLoading({ require: 'cockatiel-require.cjs', import: 'cockatiel-import.mjs' }) } : {}),
  };
}
