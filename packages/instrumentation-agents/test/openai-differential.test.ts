// Telemetry never changes what an agent does: the seed workflow (handed off, tool called),
// with a tripped guardrail, with a failing tool, and streamed (read as events, as text, left
// early, failing mid-stream) gives the same outputs, stream events and errors bare,
// instrumented, with a meter whose instruments throw, a tracer that throws and a logger that
// throws.
import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TracerProvider } from '@opentelemetry/api';
import { FaultInjector, throwingMeterProvider, type InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import { runSupportWorkflow, type AgentsCoreModule, type SeedOptions, type WorkflowOutcome } from './support/openai';

const require = createRequire(import.meta.url);
const variants: [string, SeedOptions][] = [
  ['handed off, tool called', {}],
  ['guardrail tripped', { tripGuardrail: true }],
  ['tool failing', { toolThrows: true }],
  ['streamed, read as events', { stream: 'events' }],
  ['streamed, read as text', { stream: 'text' }],
  ['streamed, left after the first event', { stream: 'abandon' }],
  ['streamed, failing mid-stream', { stream: 'events', streamScript: { failsMidStream: true } }],
];
const visible = ({ finalOutput, lastAgent, error, streamedText, streamedEvents }: WorkflowOutcome) => ({ finalOutput, lastAgent, error, streamedText, streamedEvents });

describe('the seed workflow, bare against instrumented', () => {
  const bare = new Map<string, ReturnType<typeof visible>>();
  let harness: InstrumentationHarness<AgentsInstrumentation> | undefined;
  beforeAll(async () => {
    // Before any instrumentation meets the SDK's process-wide provider.
    const sdk = require('@openai/agents-core') as AgentsCoreModule;
    sdk.setTracingDisabled(false);
    for (const [title, options] of variants) bare.set(title, visible(await runSupportWorkflow(sdk, options)));
  });
  afterEach(() => harness?.close());

  const faults: [string, (h: InstrumentationHarness<AgentsInstrumentation>, injector: FaultInjector) => void][] = [
    ['no fault', () => undefined],
    ['a meter whose instruments throw', (h, injector) => h.instrumentation.setMeterProvider(throwingMeterProvider(injector.boom))],
    ['a tracer that throws', (h, injector) => h.instrumentation.setTracerProvider({ getTracer: () => ({ startSpan: injector.boom, startActiveSpan: injector.boom }) } as unknown as TracerProvider)],
    ['a logger that throws', (h, injector) => h.instrumentation.setLoggerProvider({ getLogger: () => ({ emit: injector.boom }) } as unknown as Parameters<AgentsInstrumentation['setLoggerProvider']>[0])],
  ];
  for (const [fault, inject] of faults) {
    it.each(variants)(`${fault}: %s gives the same output and error`, async (title, options) => {
      harness = agentsHarness();
      const injector = new FaultInjector();
      inject(harness, injector);
      const sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
      const outcome = visible(await runSupportWorkflow(sdk, options));
      expect(outcome).toEqual(bare.get(title));
      expect(outcome.finalOutput ?? outcome.error ?? outcome.streamedEvents).toBeDefined();
      if (fault !== 'no fault' && title !== 'guardrail tripped') expect(injector.raised).toBeGreaterThan(0);
    });
  }
});
