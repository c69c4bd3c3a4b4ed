// A model for the OpenAI Agents SDK that plays back scripted outputs: no network, no API key,
// the same answers every run. It reports each call as a model provider does (a generation span
// with the model and the token usage), which is what the telemetry of a model call reads.
import { Usage, withGenerationSpan } from '@openai/agents';

/** The model name the scripted model reports. */
export const SCRIPTED_MODEL = 'scripted-model-1';
const INPUT_TOKENS = 40;
const OUTPUT_TOKENS = 8;

/** The model calls a tool (or hands off: a handoff is the tool `transfer_to_<agent>`). */
export const callTool = (name, args, callId) => ({ type: 'function_call', name, callId, arguments: JSON.stringify(args), status: 'completed' });

/** The model answers. */
export const answer = (text) => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });

/** A `Model` that answers its calls with `turns`, one list of output items per call. */
export function scriptedModel(turns) {
  const queue = [...turns];
  return {
    async getResponse() {
      const output = queue.shift();
      if (output === undefined) throw new Error('the scripted model has no more turns');
      return withGenerationSpan(async (span) => {
        span.spanData.model = SCRIPTED_MODEL;
        span.spanData.usage = { input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS };
        span.spanData.output = output;
        return { output, usage: new Usage({ requests: 1, inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS, totalTokens: INPUT_TOKENS + OUTPUT_TOKENS }), responseId: undefined };
      });
    },
    // eslint-disable-next-line require-yield
    async *getStreamedResponse() {
      throw new Error('the scripted model does not stream');
    },
  };
}
