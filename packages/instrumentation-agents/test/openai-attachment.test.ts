// How the processor stays attached and how content capture is switched: the user replacing
// the SDK's processors, content capture on.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import type { AgentsInstrumentationConfig } from '../src/types';
import { agentsHarness } from './support/harness';
import { runSupportWorkflow, type AgentsCoreModule } from './support/openai';

type Processor = Parameters<AgentsCoreModule['addTraceProcessor']>[0];

/** A processor of the user's that counts span ends. */
function userProcessor(): Processor & { ended: number } {
  const processor = {
    ended: 0,
    onTraceStart: async () => undefined,
    onTraceEnd: async () => undefined,
    onSpanStart: async () => undefined,
    onSpanEnd: async () => {
      processor.ended += 1;
    },
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
  return processor;
}

const names = (spans: ReadableSpan[]): string[] => spans.map((s) => s.name).sort();

describe('the processor on the SDK', () => {
  let harness: InstrumentationHarness<AgentsInstrumentation>;
  let sdk: AgentsCoreModule;
  const setUp = (config: AgentsInstrumentationConfig = {}) => {
    harness = agentsHarness(config);
    sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
    sdk.setTracingDisabled(false);
  };
  const run = (options = {}) => runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client'), ...options });
  afterEach(() => harness.close());

  it('is kept, once, when the user replaces the processors with setTraceProcessors', async () => {
    setUp();
    await run();
    const expected = names(harness.spans());
    const user = userProcessor();
    sdk.setTraceProcessors([user]);
    sdk.setTraceProcessors([user]);
    await run();
    expect(names(harness.spans().slice(expected.length))).toEqual(expected);
    expect(user.ended).toBeGreaterThan(0);
    sdk.setTraceProcessors([]);
  });

  it('content capture off by default, on with captureMessageContent', async () => {
    setUp({ captureMessageContent: true });
    await run();
    const spans = harness.spans();
    const tool = spans.find((s) => s.name === 'execute_tool lookup_order')!;
    expect(tool.attributes).toMatchObject({ 'gen_ai.tool.call.arguments': '{"id":"42"}', 'gen_ai.tool.call.result': 'order 42 shipped' });
    const chat = spans.find((s) => s.name.startsWith('chat '))!;
    expect(typeof chat.attributes['gen_ai.output.messages']).toBe('string');
  });
});
