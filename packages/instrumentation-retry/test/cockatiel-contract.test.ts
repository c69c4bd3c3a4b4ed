import { describeInstrumentationContract, ContractError, type InstrumentationContractAdapter } from '@dyntel/test-support';
import { ATTR_RETRY_NAME, ATTR_RETRY_OUTCOME, METRIC_RETRY_CALL_DURATION, RetryOutcome } from '@dyntel/semconv';
import type * as Cockatiel from 'cockatiel';
import { RetryInstrumentation } from '../src/instrumentation';
import type { RetryInstrumentationConfig } from '../src/types';
import { FIXTURES, RETRY_INSTRUMENTATION } from './support/fixtures';

// The instrumentation contract for cockatiel retry policies: 3 (CJS, through require) and 4 (ESM
// only, through import), named by the retryName option. Backoffs are cockatiel's default, ConstantBackoff(0): no test sleeps.
const NAME = 'inventory';

class Elsewhere extends Error {
  override name = 'Elsewhere';
}

function adapter(pkg: string, via: 'require' | 'import'): InstrumentationContractAdapter<typeof Cockatiel, RetryOutcome, RetryInstrumentationConfig> {
  const policy = (c: typeof Cockatiel) => c.retry(c.handleAll, { maxAttempts: 1 });
  return {
    title: `${pkg} retry policies`,
    create: (config) => new RetryInstrumentation(config),
    // Named through the option, so that the suite's throwing retryName is asked.
    config: { retryName: () => NAME },
    library: (load) => load<typeof Cockatiel>(pkg, via),
    outcomes: RetryOutcome,
    success: RetryOutcome.SUCCESS,
    failure: RetryOutcome.EXHAUSTED,
    cases: {
      [RetryOutcome.SUCCESS]: { prepare: (c, probe) => () => policy(c).execute(probe.succeed) },
      [RetryOutcome.EXHAUSTED]: { prepare: (c, probe) => () => policy(c).execute(probe.fail), errorType: ContractError.name },
      // The policy handles only Elsewhere: the probe's error is thrown at once.
      [RetryOutcome.ABORTED]: {
        prepare: (c, probe) => () => c.retry(c.handleType(Elsewhere), { maxAttempts: 3 }).execute(probe.fail),
        errorType: ContractError.name,
      },
      [RetryOutcome.CANCELLED]: {
        prepare: (c, probe) => () => {
          const controller = new AbortController();
          return c.retry(c.handleAll, { maxAttempts: 3 }).execute(() => {
            controller.abort();
            return probe.fail();
          }, controller.signal);
        },
        errorType: ContractError.name,
      },
    },
    expected: { spanName: `retry.call ${NAME}`, outcomeAttribute: ATTR_RETRY_OUTCOME, attributes: { [ATTR_RETRY_NAME]: NAME }, durationMetric: METRIC_RETRY_CALL_DURATION },
    hooks: ['requestHook', 'responseHook', 'retryName'],
    ...(pkg === 'cockatiel' && {
      loading: {
        instrumentation: RETRY_INSTRUMENTATION,
        cwd: FIXTURES,
        apps: { require: 'cockatiel-require.cjs', import: 'cockatiel-import.mjs' },
        spanName: `retry.call ${NAME}`,
      },
    }),
  };
}

describeInstrumentationContract(adapter('cockatiel-v3', 'require'));
describeInstrumentationContract(adapter('cockatiel', 'import'));
