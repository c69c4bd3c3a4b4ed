import { describe, expect, it } from 'vitest';
import { modelCallAnswer } from './model-call';

describe('modelCallAnswer', () => {
  it("a generation's own usage first", () => {
    expect(modelCallAnswer({ type: 'generation', usage: { input_tokens: 4, output_tokens: 2 }, output: [{ object: 'chat.completion', usage: { prompt_tokens: 9, completion_tokens: 9 } }] })).toEqual({
      responseModel: undefined,
      inputTokens: 4,
      outputTokens: 2,
    });
  });

  it('else the Chat Completions response it recorded', () => {
    expect(modelCallAnswer({ type: 'generation', output: [{ object: 'chat.completion', model: 'gpt-x-1', usage: { prompt_tokens: 9, completion_tokens: 3 } }] })).toEqual({ responseModel: 'gpt-x-1', inputTokens: 9, outputTokens: 3 });
  });

  it('nothing from output items that are not a Chat Completions response', () => {
    expect(modelCallAnswer({ type: 'generation', output: [{ type: 'message', model: 'm', usage: { prompt_tokens: 9 } }] })).toEqual({ responseModel: undefined, inputTokens: undefined, outputTokens: undefined });
  });

  it("a response span's Responses API response", () => {
    expect(modelCallAnswer({ type: 'response', _response: { model: 'gpt-y', usage: { input_tokens: 7, output_tokens: 1 } } })).toEqual({ responseModel: 'gpt-y', inputTokens: 7, outputTokens: 1 });
  });
});
