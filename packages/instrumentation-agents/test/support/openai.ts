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

/** How the scripted model streams. */
export interface StreamScript {
  /** The final response carries no token usage (as a provider that reports none). */
  withoutUsage?: boolean;
  /** The stream fails after its first text delta. */
  failsMidStream?: boolean;
}

/** The error a scripted stream fails with. */
export class StreamBroke extends Error {
  override name = 'StreamBroke';
}

/**
 * A `Model` that answers each call with the next scripted output, as a whole response or, when
 * the SDK streams, as a stream (started, a text delta per word of its messages, done with the
 * output and usage), inside a generation span as OpenAI's chat completions model makes one.
 */
export function scriptedModel(sdk: AgentsCoreModule, outputs: OutputItem[][], stream: StreamScript = {}): AgentsCore.Model {
  const queue = [...outputs];
  const next = (): OutputItem[] => {
    const output = queue.shift();
    if (output === undefined) throw new Error('the scripted model has no more outputs');
    return output;
  };
  return {
    async getResponse() {
      const output = next();
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
    async *getStreamedResponse(): AsyncGenerator<AgentsCore.StreamEvent> {
      const output = next();
      const span = sdk.createGenerationSpan();
      span.spanData.model = SCRIPTED_MODEL;
      span.start();
      sdk.setCurrentSpan(span);
      try {
        yield { type: 'response_started' };
        for (const delta of textOf(output).split(/(?<= )/)) {
          if (delta === '') continue;
          yield { type: 'output_text_delta', delta };
          if (stream.failsMidStream === true) throw new StreamBroke('the model stream broke');
        }
        const usage = stream.withoutUsage === true ? { inputTokens: 0, outputTokens: 0, totalTokens: 0 } : { inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS, totalTokens: INPUT_TOKENS + OUTPUT_TOKENS };
        // A provider reports usage with the final response; the span carries it when there is some.
        if (stream.withoutUsage !== true) span.spanData.usage = { input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS };
        span.spanData.output = output;
        yield { type: 'response_done', response: { id: `resp_${queue.length}`, usage, output: output as unknown as AgentsCore.ModelResponse['output'] } } as AgentsCore.StreamEvent;
      } catch (error) {
        span.setError({ message: 'Error streaming response', data: { error: String(error) } });
        throw error;
      } finally {
        span.end();
        sdk.resetCurrentSpan();
      }
    },
  };
}

function textOf(output: OutputItem[]): string {
  return output
    .flatMap((item) => (item.type === 'message' ? (item.content as { text: string }[]) : []))
    .map((part) => part.text)
    .join('');
}

/** What one workflow run gave the application. */
export interface WorkflowOutcome {
  finalOutput?: unknown;
  lastAgent?: string;
  error?: string;
  /** The span id the OpenTelemetry context had inside the tool, when a span was active. */
  toolContextSpanId?: string;
  /** The text a streamed run gave, as the application read it. */
  streamedText?: string;
  /** The types of the stream events a streamed run gave, in order. */
  streamedEvents?: string[];
}

/** Options of the seed workflow. */
export interface SeedOptions {
  /** The input guardrail trips: the run fails before the triage agent answers. */
  tripGuardrail?: boolean;
  /** The tool throws: the SDK reports the error to the model, which still answers. */
  toolThrows?: boolean;
  /** The tracer the tool's own span comes from, as an HTTP client's would. */
  tracer?: Tracer;
  /**
   * Stream the run (`run(agent, input, { stream: true })`): consume every event, the text
   * stream (`toTextStream()`), or only the first event and leave.
   */
  stream?: 'events' | 'text' | 'abandon';
  /** How the models stream. */
  streamScript?: StreamScript;
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
    model: scriptedModel(sdk, [[functionCall('lookup_order', { id: '42' }, 'call_lookup_1')], [assistantMessage('Order 42 has shipped.')]], options.streamScript),
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
    model: scriptedModel(sdk, [[functionCall('transfer_to_Specialist', {}, 'call_handoff_1')]], options.streamScript),
  });
  // Every agent has its model; 0.8's Runner wants a default provider all the same.
  const modelProvider = { getModel: () => scriptedModel(sdk, []) };
  const runner = new sdk.Runner({ workflowName: 'support', groupId: 'conv-42', modelProvider });
  try {
    if (options.stream === undefined) {
      const result = await runner.run(triage, 'Where is my order 42?');
      outcome.finalOutput = result.finalOutput;
      outcome.lastAgent = result.lastAgent?.name;
    } else {
      const result = await runner.run(triage, 'Where is my order 42?', { stream: true });
      await consume(result, options.stream, outcome);
      outcome.finalOutput = result.finalOutput;
      outcome.lastAgent = result.lastAgent?.name;
    }
  } catch (error) {
    outcome.error = (error as Error).constructor.name;
  }
  return outcome;
}

/** What the application reads of a streamed run (`StreamedRunResult`). */
interface StreamedRun extends AsyncIterable<{ type: string }> {
  toTextStream(): unknown;
  readonly completed: Promise<void>;
  readonly error: unknown;
}

/** Reads a streamed run as the application would, then waits for the run to be over. */
async function consume(result: StreamedRun, how: 'events' | 'text' | 'abandon', outcome: WorkflowOutcome): Promise<void> {
  if (how === 'text') {
    let text = '';
    for await (const chunk of result.toTextStream() as unknown as AsyncIterable<string>) text += chunk;
    outcome.streamedText = text;
  } else {
    outcome.streamedEvents = [];
    for await (const event of result) {
      outcome.streamedEvents.push(event.type);
      if (how === 'abandon') break;
    }
  }
  await result.completed;
  if (result.error !== null && result.error !== undefined) throw result.error;
}
