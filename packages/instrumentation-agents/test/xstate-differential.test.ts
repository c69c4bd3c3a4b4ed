// Telemetry never changes what a machine does: the seed scenario gives the same snapshots,
// outputs and thrown errors bare, instrumented, instrumented with a meter whose instruments
// throw, and with a tracer that throws; on the latest release and on two whose transitions are
// told from snapshots.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { TracerProvider } from '@opentelemetry/api';
import { FaultInjector, throwingMeterProvider, type InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import { runOrderScenario, type XStateModule } from './support/machines';

const require = createRequire(import.meta.url);

describe.each(['xstate', 'xstate-v5-0', 'xstate-v5-6'])('the order-fulfilment system on %s, bare against instrumented', (alias) => {
  let harness: InstrumentationHarness<AgentsInstrumentation> | undefined;
  afterEach(() => harness?.close());
  const bare = runOrderScenario(require(alias) as XStateModule);

  const faults: [string, (h: InstrumentationHarness<AgentsInstrumentation>, injector: FaultInjector) => void][] = [
    ['no fault', () => undefined],
    ['a meter whose instruments throw', (h, injector) => h.instrumentation.setMeterProvider(throwingMeterProvider(injector.boom))],
    ['a tracer that throws', (h, injector) => h.instrumentation.setTracerProvider({ getTracer: () => ({ startSpan: injector.boom, startActiveSpan: injector.boom }) } as unknown as TracerProvider)],
  ];
  it.each(faults)('%s: same snapshots, outputs and errors', (title, inject) => {
    harness = agentsHarness({ messageSpans: true });
    const injector = new FaultInjector();
    inject(harness, injector);
    expect(runOrderScenario(harness.require<XStateModule>(alias))).toEqual(bare);
    if (title !== 'no fault') expect(injector.raised).toBeGreaterThan(0);
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
