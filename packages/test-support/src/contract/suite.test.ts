import type * as Core from '@opentelemetry/core';
import { FAKE_CALL_DURATION, FAKE_CALL_SPAN, FakeCallInstrumentation, type FakeCallConfig } from '../../test/fake-call-instrumentation';
import { ContractError } from './probe';
import { describeInstrumentationContract } from './suite';

// The suite against a small well-behaved instrumentation with no outcome attribute (like a
// retry attempt's telemetry): success and failure are its whole enum.
const Outcome = { SUCCESS: 'success', FAILURE: 'failure' } as const;
type Outcome = (typeof Outcome)[keyof typeof Outcome];

describeInstrumentationContract<typeof Core, Outcome, FakeCallConfig>({
  title: 'a fake instrumentation of BindOnceFuture',
  create: (config) => new FakeCallInstrumentation(config),
  library: (load) => load<typeof Core>('@opentelemetry/core', 'require'),
  outcomes: Outcome,
  success: Outcome.SUCCESS,
  failure: Outcome.FAILURE,
  cases: {
    [Outcome.SUCCESS]: {
      prepare: (core, probe) => {
        const future = new core.BindOnceFuture(probe.succeed, probe.receiver);
        return () => future.call();
      },
    },
    [Outcome.FAILURE]: {
      prepare: (core, probe) => {
        const future = new core.BindOnceFuture(probe.fail, probe.receiver);
        return () => future.call();
      },
      errorType: ContractError.name,
    },
  },
  expected: { spanName: FAKE_CALL_SPAN, attributes: {}, durationMetric: FAKE_CALL_DURATION },
  hooks: ['onCall'],
});
