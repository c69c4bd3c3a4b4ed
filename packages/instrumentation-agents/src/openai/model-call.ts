import type { SdkSpanData } from './sdk-shapes';

/** What a `generation` or `response` span says of its model call's answer. */
export interface ModelCallAnswer {
  readonly responseModel: string | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

/** A Chat Completions response as OpenAI's chat-completions model records it as a generation's output. */
interface ChatCompletion {
  readonly object?: unknown;
  readonly model?: unknown;
  readonly usage?: { readonly prompt_tokens?: unknown; readonly completion_tokens?: unknown };
}

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const string = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The response model and token usage of a model call: a generation's own `usage` (a model
 * provider's, in the SDK's format), else the Chat Completions response it recorded as its
 * output (OpenAI's chat-completions model records the response, streamed or not, and no usage of
 * its own: only while the run traces sensitive data, the SDK's default); a response span's
 * Responses API response.
 */
export function modelCallAnswer(data: SdkSpanData): ModelCallAnswer {
  if (data.type !== 'generation') {
    const response = data._response;
    return { responseModel: response?.model, inputTokens: number(response?.usage?.input_tokens), outputTokens: number(response?.usage?.output_tokens) };
  }
  const own = data.usage;
  const first = (Array.isArray(data.output) && data.output.length === 1 ? data.output[0] : undefined) as ChatCompletion | undefined;
  const completion = first?.object === 'chat.completion' ? first : undefined;
  const inputTokens = number(own?.input_tokens) ?? number(completion?.usage?.prompt_tokens);
  const outputTokens = number(own?.output_tokens) ?? number(completion?.usage?.completion_tokens);
  return { responseModel: string(completion?.model), inputTokens, outputTokens };
}
