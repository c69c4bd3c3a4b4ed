import { afterEach, describe, expect, it } from 'vitest';
import type * as AgentsOpenAi from '@openai/agents-openai';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../../src/instrumentation';
import { agentsHarness, valueOf } from './harness';
import type { AgentsCoreModule } from './openai';

/** `@openai/agents-openai`, as required or imported. */
export type AgentsOpenAiModule = typeof AgentsOpenAi;

const ANSWERED_BY = 'gpt-4o-mini-2024-07-18';
const USAGE = { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 };
const completion = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: ANSWERED_BY, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello there.' } }], usage: USAGE };
async function* chunks() {
  const chunk = { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1, model: ANSWERED_BY };
  yield { ...chunk, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello ' }, finish_reason: null }] };
  yield { ...chunk, choices: [{ index: 0, delta: { content: 'there.' }, finish_reason: 'stop' }] };
  // The usage chunk OpenAI sends last when the request asks for it.
  yield { ...chunk, choices: [], usage: USAGE };
}

/** An OpenAI client that answers every Chat Completions request from memory, as a whole or as a stream of chunks. */
const client = { baseURL: 'http://127.0.0.1:9', chat: { completions: { create: (request: { stream?: boolean }) => Promise.resolve(request.stream === true ? chunks() : completion) } } };

/**
 * OpenAI's own chat-completions model (`OpenAIChatCompletionsModel`), on a client that answers
 * from memory: it records the Chat Completions response as its generation span's output and no
 * usage of its own, streamed or not; the chat span takes the tokens and response model from it.
 */
export function describeChatCompletions(title: string, load: (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<[AgentsCoreModule, AgentsOpenAiModule]>): void {
  describe(`OpenAI's chat-completions model, ${title}`, () => {
    let harness: InstrumentationHarness<AgentsInstrumentation>;
    afterEach(() => harness.close());

    const cases: [string, boolean, boolean][] = [
      ['not streamed', false, true],
      ['streamed', true, true],
      ['not streamed, without sensitive data in traces', false, false],
      ['streamed, without sensitive data in traces', true, false],
    ];
    it.each(cases)('%s', async (_title, stream, traceIncludeSensitiveData) => {
      harness = agentsHarness();
      const [sdk, openai] = await load(harness);
      sdk.setTracingDisabled(false);
      const agent = new sdk.Agent({ name: 'Greeter', instructions: 'Greet.', model: new openai.OpenAIChatCompletionsModel(client as never, 'gpt-4o-mini') });
      const runner = new sdk.Runner({ traceIncludeSensitiveData });
      let output: unknown;
      if (stream) {
        const result = await runner.run(agent, 'Hi', { stream: true });
        for await (const text of result.toTextStream() as unknown as AsyncIterable<string>) void text;
        await result.completed;
        output = result.finalOutput;
      } else {
        output = (await runner.run(agent, 'Hi')).finalOutput;
      }
      expect(output).toBe('Hello there.');
      const chat = harness.spans().find((s) => s.name === 'chat gpt-4o-mini')!;
      const points = await harness.points('gen_ai.client.token.usage');
      if (!traceIncludeSensitiveData) {
        // The model records no response then: nothing says what the call used.
        expect(chat.attributes).not.toHaveProperty('gen_ai.usage.input_tokens');
        expect(points).toEqual([]);
        return;
      }
      expect(chat.attributes).toMatchObject({
        'gen_ai.request.model': 'gpt-4o-mini',
        // Streamed, the model reports the model it asked for.
        'gen_ai.response.model': stream ? 'gpt-4o-mini' : ANSWERED_BY,
        'gen_ai.usage.input_tokens': 21,
        'gen_ai.usage.output_tokens': 3,
      });
      expect(valueOf(points, 'gen_ai.client.token.usage', { 'gen_ai.token.type': 'input', 'gen_ai.request.model': 'gpt-4o-mini' })).toBe(1);
      expect(points.map((p) => [p.attributes['gen_ai.token.type'], p.sum]).sort()).toEqual([
        ['input', 21],
        ['output', 3],
      ]);
    });
  });
}
