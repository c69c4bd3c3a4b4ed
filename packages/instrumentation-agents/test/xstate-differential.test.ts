// Telemetry never changes what a machine does: the seed scenario gives the same snapshots,
// outputs and thrown errors bare, instrumented, and under every fault of the shared injector (a
// tracer that throws, a meter whose instruments throw, one that cannot create any, a logger that
// throws), and with a user inspector that throws; on the latest release and on two whose transitions are
// told from snapshots.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector, throwingMeterProvider, type InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import { runOrderScenario, type XStateModule } from './support/machines';

const require = createRequire(import.meta.url);

describe.each(['xstate', 'xstate-v5-0', 'xstate-v5-6'])('the order-fulfilment system on %s, bare against instrumented', (alias) => {
  let harness: InstrumentationHarness<AgentsInstrumentation> | undefined;
  afterEach(() => harness?.close());
  const bare = runOrderScenario(require(alias) as XStateModule);

  it('no fault: same snapshots, outputs and errors', () => {
    harness = agentsHarness({ messageSpans: true });
    expect(runOrderScenario(harness.require<XStateModule>(alias))).toEqual(bare);
  });

  // This package has no config hooks: the user's hook is XState's inspect option, below.
  it.each(new FaultInjector().faults([]).map((f) => [f.title, f] as const))('%s: same snapshots, outputs and errors', (_title, fault) => {
    const injector = new FaultInjector();
    const injected = injector.faults([]).find((f) => f.title === fault.title)!;
    harness = agentsHarness({ messageSpans: true });
    injected.apply(harness.instrumentation);
    expect(runOrderScenario(harness.require<XStateModule>(alias))).toEqual(bare);
    expect(injector.raised).toBeGreaterThan(0);
  });

  it('with a user inspect that throws on one event: the same outcome as bare', () => {
    const throwing = () => {
      let count = 0;
      return (event: { type: string }) => {
        if (event.type === '@xstate.event' && ++count === 3) throw new Error('user inspector broke');
      };
    };
    const bareRun = runOrderScenario(require(alias) as XStateModule, { inspect: throwing() });
    harness = agentsHarness();
    harness.instrumentation.setMeterProvider(throwingMeterProvider());
    expect(runOrderScenario(harness.require<XStateModule>(alias), { inspect: throwing() })).toEqual(bareRun);
    expect(JSON.stringify(bareRun)).toContain('user inspector broke');
  });
});
