import { describeInstrumentationContract, ContractError, type InstrumentationContractAdapter, type ModuleLoader, type Probe } from '@dyntel/test-support';
import { ATTR_RETRY_NAME, ATTR_RETRY_OUTCOME, METRIC_RETRY_CALL_DURATION, RetryOutcome } from '@dyntel/semconv';
import type AsyncRetry from 'async-retry';
import type PromiseRetry from 'promise-retry';
import type * as Retry from 'retry';
import { RetryInstrumentation } from '../src/instrumentation';
import type { RetryInstrumentationConfig } from '../src/types';

// The instrumentation contract for the retry family: retry 0.13 used directly, retry 0.12 (the
// copy promise-retry 2 depends on), async-retry and promise-retry over theirs. Waits are the
// library's shortest (retry 0.13 waits at least 1 ms): no test sleeps.
const NAME = 'inventory';
const FAST = { retries: 1, minTimeout: 0, factor: 1 };
const NO_SIGNAL = 'the library takes no AbortSignal';

type Adapter<L> = InstrumentationContractAdapter<L, RetryOutcome, RetryInstrumentationConfig>;

function family<L>(title: string, library: (load: ModuleLoader) => Promise<L>, cases: Adapter<L>['cases']): Adapter<L> {
  return {
    title,
    create: (config) => new RetryInstrumentation(config),
    // Named by the option, so that a throwing retryName is one of the faults.
    config: { retryName: () => NAME },
    library,
    outcomes: RetryOutcome,
    success: RetryOutcome.SUCCESS,
    failure: RetryOutcome.EXHAUSTED,
    cases,
    notProduced: { [RetryOutcome.CANCELLED]: NO_SIGNAL },
    expected: { spanName: `retry.call ${NAME}`, outcomeAttribute: ATTR_RETRY_OUTCOME, attributes: { [ATTR_RETRY_NAME]: NAME }, durationMetric: METRIC_RETRY_CALL_DURATION },
    hooks: ['requestHook', 'responseHook', 'retryName'],
  };
}

/** The documented `retry` idiom around a promise-returning user function: retry() after every attempt, the main error at the end. */
function operate(retry: typeof Retry, user: () => Promise<unknown>, stopOn?: (attempt: number) => boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const operation = retry.operation({ ...FAST });
    operation.attempt((attempt) => {
      user().then(
        (value) => {
          operation.retry(undefined);
          resolve(value);
        },
        (error: Error) => {
          if (stopOn?.(attempt)) {
            operation.stop();
            reject(error);
            return;
          }
          if (operation.retry(error)) return;
          reject(operation.mainError());
        },
      );
    });
  });
}

function retryAdapter(pkg: string): Adapter<typeof Retry> {
  return family(pkg, (load) => load<typeof Retry>(pkg, 'require'), {
    [RetryOutcome.SUCCESS]: { prepare: (retry, probe) => () => operate(retry, probe.succeed) },
    [RetryOutcome.EXHAUSTED]: { prepare: (retry, probe) => () => operate(retry, probe.fail), errorType: ContractError.name },
    // stop() does not say why: the call carries the last error reported through retry(err).
    [RetryOutcome.ABORTED]: { prepare: (retry, probe) => () => operate(retry, probe.fail, (attempt) => attempt === 2), errorType: ContractError.name },
  });
}

const asyncRetry = family(
  'async-retry',
  async (load) => {
    await load('retry', 'require');
    return load<typeof AsyncRetry>('async-retry', 'require');
  },
  {
    [RetryOutcome.SUCCESS]: { prepare: (retry, probe) => () => retry(probe.succeed, { ...FAST }) },
    [RetryOutcome.EXHAUSTED]: { prepare: (retry, probe) => () => retry(probe.fail, { ...FAST }), errorType: ContractError.name },
    [RetryOutcome.ABORTED]: {
      prepare: (retry, probe: Probe) => () => retry((bail) => probe.fail().catch((error: Error) => bail(error)), { ...FAST }),
      errorType: ContractError.name,
    },
  },
);

const promiseRetry = family(
  'promise-retry',
  async (load) => {
    await load('promise-retry/node_modules/retry', 'require');
    return load<typeof PromiseRetry>('promise-retry', 'require');
  },
  {
    [RetryOutcome.SUCCESS]: { prepare: (retry, probe) => () => retry(() => probe.succeed(), { ...FAST }) },
    [RetryOutcome.EXHAUSTED]: {
      prepare: (retry, probe) => () => retry((again) => probe.fail().catch(again), { ...FAST }),
      errorType: ContractError.name,
    },
    [RetryOutcome.ABORTED]: { prepare: (retry, probe) => () => retry(() => probe.fail(), { ...FAST }), errorType: ContractError.name },
  },
);

describeInstrumentationContract(retryAdapter('retry'));
describeInstrumentationContract(retryAdapter('promise-retry/node_modules/retry'));
describeInstrumentationContract(asyncRetry);
describeInstrumentationContract(promiseRetry);
