import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  CircuitBreakerOutcome,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  SPAN_CIRCUIT_BREAKER_CALL,
} from '@dyntel/semconv';
import { spanName } from '@dyntel/instrumentation-kit';
import type { InstrumentationContractAdapter } from '@dyntel/test-support';
import { CircuitBreakerInstrumentation } from '../../src/instrumentation';
import type { CircuitBreakerInstrumentationConfig } from '../../src/types';
import { BREAKER_INSTRUMENTATION, FIXTURES } from '../support/fixtures';

/** The name every contract breaker gets. */
export const BREAKER_NAME = 'contract';

/** What both libraries' adapters share: the instrumentation, the breaker contract's names, the hooks. */
export type BreakerAdapter<L> = InstrumentationContractAdapter<L, CircuitBreakerOutcome, CircuitBreakerInstrumentationConfig>;

/** The parts of an adapter that are the same for opossum and cockatiel. */
export const BREAKER_CONTRACT = {
  create: (config: CircuitBreakerInstrumentationConfig) => new CircuitBreakerInstrumentation(config),
  outcomes: CircuitBreakerOutcome,
  success: CircuitBreakerOutcome.SUCCESS,
  failure: CircuitBreakerOutcome.FAILURE,
  expected: {
    spanName: spanName(SPAN_CIRCUIT_BREAKER_CALL, BREAKER_NAME),
    outcomeAttribute: ATTR_CIRCUIT_BREAKER_OUTCOME,
    attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: BREAKER_NAME },
    durationMetric: METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  },
  hooks: ['requestHook', 'responseHook', 'breakerName'],
} satisfies Partial<BreakerAdapter<unknown>>;

/** How the child-process apps of `test/fixtures` are loaded, given the app for each loader. */
export function breakerLoading(apps: { require: string; import: string }): NonNullable<BreakerAdapter<unknown>['loading']> {
  return {
    instrumentation: BREAKER_INSTRUMENTATION,
    cwd: FIXTURES,
    apps,
    // The fixtures' scenario (fixtures/scenario.cjs) names its breaker `inventory`.
    spanName: spanName(SPAN_CIRCUIT_BREAKER_CALL, 'inventory'),
  };
}
