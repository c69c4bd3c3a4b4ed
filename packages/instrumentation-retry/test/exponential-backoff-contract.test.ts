import { describeInstrumentationContract, ContractError, type InstrumentationContractAdapter } from '@dyntel/test-support';
import { ATTR_RETRY_NAME, ATTR_RETRY_OUTCOME, METRIC_RETRY_CALL_DURATION, RetryOutcome } from '@dyntel/semconv';
import type * as ExponentialBackoff from 'exponential-backoff';
import { RetryInstrumentation } from '../src/instrumentation';
import type { RetryInstrumentationConfig } from '../src/types';
import { FIXTURES, RETRY_INSTRUMENTATION } from './support/fixtures';

// The instrumentation contract for exponential-backoff 3, named by the retryName option. It is
// CJS: in process it is required (the namespace a plain import makes of CJS exports cannot be
// patched; the import hook hands out one that can, exercised by the child processes). Delays
// are 0: no test sleeps.
const NAME = 'inventory';
const FAST = { numOfAttempts: 2, startingDelay: 0 };

function adapter(): InstrumentationContractAdapter<typeof ExponentialBackoff, RetryOutcome, RetryInstrumentationConfig> {
  return {
    title: 'exponential-backoff',
    create: (config) => new RetryInstrumentation(config),
    config: { retryName: () => NAME },
    library: (load) => load<typeof ExponentialBackoff>('exponential-backoff', 'require'),
    outcomes: RetryOutcome,
    success: RetryOutcome.SUCCESS,
    failure: RetryOutcome.EXHAUSTED,
    cases: {
      [RetryOutcome.SUCCESS]: { prepare: (l, probe) => () => l.backOff(probe.succeed, FAST) },
      [RetryOutcome.EXHAUSTED]: { prepare: (l, probe) => () => l.backOff(probe.fail, FAST), errorType: ContractError.name },
      [RetryOutcome.ABORTED]: { prepare: (l, probe) => () => l.backOff(probe.fail, { ...FAST, retry: () => false }), errorType: ContractError.name },
    },
    notProduced: { [RetryOutcome.CANCELLED]: 'exponential-backoff takes no AbortSignal' },
    expected: { spanName: `retry.call ${NAME}`, outcomeAttribute: ATTR_RETRY_OUTCOME, attributes: { [ATTR_RETRY_NAME]: NAME }, durationMetric: METRIC_RETRY_CALL_DURATION },
    hooks: ['requestHook', 'responseHook', 'retryName'],
    loading: {
      instrumentation: RETRY_INSTRUMENTATION,
      cwd: FIXTURES,
      apps: { require: 'exponential-backoff-require.cjs', import: 'exponential-backoff-import.mjs' },
      spanName: `retry.call ${NAME}`,
    },
  };
}

describeInstrumentationContract(adapter());
