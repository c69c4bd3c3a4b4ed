import type CircuitBreakerClass from 'opossum';
import { CircuitBreakerOutcome } from '@dyntel/semconv';
import { ContractError, type Probe } from '@dyntel/test-support';
import { BREAKER_CONTRACT, BREAKER_NAME, breakerLoading, type BreakerAdapter } from './expected';

type CircuitBreaker = typeof CircuitBreakerClass;
type Options = ConstructorParameters<CircuitBreaker>[1];

/** A breaker around the user function, shut down once the operation has been checked. */
function breaker(CircuitBreaker: CircuitBreaker, probe: Probe, action: (...args: unknown[]) => Promise<unknown>, options: Options = {}) {
  const created = new CircuitBreaker(action, { name: BREAKER_NAME, ...options });
  probe.onEnd(() => created.shutdown());
  return created;
}

/** The contract adapter for one installed opossum package (`opossum` or an alias such as `opossum-v6`). */
export function opossumAdapter(pkg: string): BreakerAdapter<CircuitBreaker> {
  return {
    ...BREAKER_CONTRACT,
    title: pkg,
    library: (load) => load<CircuitBreaker>(pkg, 'require'),
    cases: {
      // call(thisArg) is how opossum passes the caller's `this` to the action.
      [CircuitBreakerOutcome.SUCCESS]: {
        prepare: (CircuitBreaker, probe) => {
          const b = breaker(CircuitBreaker, probe, probe.succeed);
          return () => b.call(probe.receiver);
        },
      },
      [CircuitBreakerOutcome.FAILURE]: {
        prepare: (CircuitBreaker, probe) => {
          const b = breaker(CircuitBreaker, probe, probe.fail);
          return () => b.call(probe.receiver);
        },
        errorType: ContractError.name,
      },
      [CircuitBreakerOutcome.TIMEOUT]: {
        // opossum's own timer ends the call: a few milliseconds, not a wait of the test's.
        prepare: (CircuitBreaker, probe) => {
          const b = breaker(CircuitBreaker, probe, probe.hang, { timeout: 5 });
          return () => b.fire();
        },
        errorType: 'ETIMEDOUT',
      },
      [CircuitBreakerOutcome.REJECTED]: {
        prepare: async (CircuitBreaker, probe) => {
          const b = breaker(CircuitBreaker, probe, probe.fail, { errorThresholdPercentage: 1 });
          await b.fire().catch(() => {});
          return () => b.fire();
        },
        errorType: 'EOPENBREAKER',
      },
      [CircuitBreakerOutcome.IGNORED]: {
        prepare: (CircuitBreaker, probe) => {
          const b = breaker(CircuitBreaker, probe, probe.fail, { errorFilter: () => true });
          return () => b.fire();
        },
        errorType: ContractError.name,
      },
    },
    ...(pkg === 'opossum' ? { loading: breakerLoading({ require: 'opossum-require.cjs', import: 'opossum-import.mjs' }) } : {}),
  };
}
