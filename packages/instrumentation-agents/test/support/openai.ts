// A scripted model for the OpenAI Agents SDK and the seed workflow on it: a triage agent
// hands off to a specialist, which calls a tool, then answers. No network, no API key: the
// model plays back scripted outputs and reports its calls as a model provider does (a
// generation span with the model and token usage).
import { trace, type Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import type * as AgentsCore from '@openai/agents-core';

/** `@openai/agents-core`, as required or imported (0.8 and later share this surface). */
export type AgentsCoreModule = typeof AgentsCore;

type OutputItem = Record<string, unknown>;

/** A function call the model makes. */
export const functionCall = (name: string, args: Record<string, unknown>, callId: string): OutputItem => ({
  type: 'function_call',
  name,
  callId,
  arguments: JSON.stringify(args),
  status: 'completed',
});

/** A final assistant message. */
export const assistantMessage = (text: string): OutputItem => ({
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text }],
});

/** The model name the scripted model reports. */
export const SCRIPTED_MODEL = 'scripted-model-1';
/** Tokens each scripted call reports. */
export const INPUT_TOKENS = 12;
export const OUTPUT_TOKENS = 5;

/** A `Model` that answers each call with the next scripted output. */
export function scriptedModel(sdk: AgentsCoreModule, outputs: OutputItem[][]): AgentsCore.Model {
  const queue = [...outputs];
  return {
    async getResponse() {
      const output = queue.shift();
      if (output === undefined) throw new Error('the scripted model has no more outputs');
      return sdk.withGenerationSpan(async (span) => {
        span.spanData.model = SCRIPTED_MODEL;
        span.spanData.usage = { input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS };
        span.spanData.output = output;
        return {
          output: output as unknown as AgentsCore.ModelResponse['output'],
          usage: new sdk.Usage({ requests: 1, inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS, totalTokens: INPUT_TOKENS + OUTPUT_TOKENS }),
          responseId: undefined,
        };
      });
    },
    // eslint-disable-next-line require-yield
    async *getStreamedResponse() {
      throw new Error('the scripted model does not stream');
    },
  };
}

/** What one workflow run gave the application. */
export interface WorkflowOutcome {
  finalOutput?: unknown;
  lastAgent?: string;
  error?: string;
  /** The span id the OpenTelemetry context had inside the tool, when a span was active. */
  toolContextSpanId?: string;
}

/** Options of the seed workflow. */
export interface SeedOptions {
  /** The input guardrail trips: the run fails before the triage agent answers. */
  tripGuardrail?: boolean;
  /** The tool throws: the SDK reports the error to the model, which still answers. */
  toolThrows?: boolean;
  /** The tracer the tool's own span comes from, as an HTTP client's would. */
  tracer?: Tracer;
}

/** The support workflow, named `support`, in conversation `conv-42`: Triage hands off to Specialist, which calls `lookup_order`. */
export async function runSupportWorkflow(sdk: AgentsCoreModule, options: SeedOptions = {}): Promise<WorkflowOutcome> {
  const outcome: WorkflowOutcome = {};
  const lookup = sdk.tool({
    name: 'lookup_order',
    description: 'Looks an order up',
    parameters: z.object({ id: z.string() }),
    execute: async ({ id }) => {
      // What an HTTP client, a breaker or a retry would do: start a span in the active context.
      const tracer = options.tracer ?? trace.getTracer('seed-http-client');
      await tracer.startActiveSpan('GET /orders', async (span) => {
        outcome.toolContextSpanId = span.spanContext().spanId;
        await Promise.resolve();
        span.end();
      });
      if (options.toolThrows) throw new Error('order service unavailable');
      return `order ${id} shipped`;
    },
  });
  const specialist = new sdk.Agent({
    name: 'Specialist',
    instructions: 'Answer order questions.',
    tools: [lookup],
    model: scriptedModel(sdk, [[functionCall('lookup_order', { id: '42' }, 'call_lookup_1')], [assistantMessage('Order 42 has shipped.')]]),
  });
  const politeness: AgentsCore.InputGuardrail & { runInParallel: boolean } = {
    name: 'politeness',
    runInParallel: false,
    execute: async () => ({ tripwireTriggered: options.tripGuardrail === true, outputInfo: {} }),
  };
  const triage = new sdk.Agent({
    name: 'Triage',
    instructions: 'Route the customer.',
    handoffs: [specialist],
    inputGuardrails: [politeness],
    model: scriptedModel(sdk, [[functionCall('transfer_to_Specialist', {}, 'call_handoff_1')]]),
  });
  // Every agent has its model; 0.8's Runner wants a default provider all the same.
  const modelProvider = { getModel: () => scriptedModel(sdk, []) };
  const runner = new sdk.Runner({ workflowName: 'support', groupId: 'conv-42', modelProvider });
  try {
    const result = await runner.run(triage, 'Where is my order 42?');
    outcome.finalOutput = result.finalOutput;
    outcome.lastAgent = result.lastAgent?.name;
  } catch (error) {
    outcome.error = (error as Error).constructor.name;
  }
  return outcome;
}
