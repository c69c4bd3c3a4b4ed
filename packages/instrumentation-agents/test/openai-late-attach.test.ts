// Instrumented after the application registered a processor of its own: the SDK awaits each
// processor in turn, so every span start reaches ours late, after the code in the span (a
// tool's function) may already run. Its own file: the SDK's provider is process-wide, and
// here it must not have met our processor before.
import { createRequire } from 'node:module';
import { afterEach, expect, it } from 'vitest';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import { runSupportWorkflow, type AgentsCoreModule } from './support/openai';

const require = createRequire(import.meta.url);
let harness: InstrumentationHarness<AgentsInstrumentation> | undefined;
afterEach(() => harness?.close());

it('a span started at once in a tool nests under the tool though our processor hears of the tool late', async () => {
  const bare = require('@openai/agents-core') as AgentsCoreModule;
  bare.setTracingDisabled(false);
  // Each span start waits a few microtasks in the application's processor before ours is called.
  bare.setTraceProcessors([
    {
      onTraceStart: async () => undefined,
      onTraceEnd: async () => undefined,
      onSpanStart: async () => {
        for (let tick = 0; tick < 50; tick += 1) await null;
      },
      onSpanEnd: async () => undefined,
      shutdown: async () => undefined,
      forceFlush: async () => undefined,
    },
  ]);
  harness = agentsHarness();
  const sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
  const outcome = await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
  expect(outcome.finalOutput).toBe('Order 42 has shipped.');
  const spans = harness.spans();
  const tool = spans.find((s) => s.name === 'execute_tool lookup_order')!;
  const http = spans.find((s) => s.name === 'GET /orders')!;
  expect(http.parentSpanContext?.spanId).toBe(tool.spanContext().spanId);
  expect(tool.parentSpanContext?.spanId).toBe(spans.find((s) => s.name === 'invoke_agent Specialist')!.spanContext().spanId);
});
