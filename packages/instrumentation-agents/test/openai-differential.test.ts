// Telemetry never changes what an agent does: the seed workflow (handed off, tool called),
// with a tripped guardrail, with a failing tool, and streamed (read as events, as text, left
// early, failing mid-stream) gives the same outputs, stream events and errors bare,
// instrumented, and under every fault of the shared injector (a tracer that throws, a meter whose
// instruments throw, one that cannot create any, a logger that throws).
import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector, type InstrumentationHarness } from '@dyntel/test-support';
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

  it.each(variants)('no fault: %s gives the same output and error', async (title, options) => {
    harness = agentsHarness();
    const sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
    const outcome = visible(await runSupportWorkflow(sdk, options));
    expect(outcome).toEqual(bare.get(title));
    expect(outcome.finalOutput ?? outcome.error ?? outcome.streamedEvents).toBeDefined();
  });

  // This package has no config hooks.
  const faults = new FaultInjector().faults([]).map((f) => f.title);
  for (const fault of faults) {
    it.each(variants)(`${fault}: %s gives the same output and error`, async (title, options) => {
      const injector = new FaultInjector();
      const injected = injector.faults([]).find((f) => f.title === fault)!;
      harness = agentsHarness();
      injected.apply(harness.instrumentation);
      const sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
      const outcome = visible(await runSupportWorkflow(sdk, options));
      expect(outcome).toEqual(bare.get(title));
      expect(outcome.finalOutput ?? outcome.error ?? outcome.streamedEvents).toBeDefined();
      if (title !== 'guardrail tripped') expect(injector.raised).toBeGreaterThan(0);
    });
  }
});
