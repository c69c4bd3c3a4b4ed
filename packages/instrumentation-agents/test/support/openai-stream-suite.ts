import { afterEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { waitForWorkflow } from '@dyntel/test-span-assertions';
import type { InstrumentationHarness, Point } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../../src/instrumentation';
import { agentsHarness, expectNoIdsOnMetrics, valueOf } from './harness';
import { runSupportWorkflow, SCRIPTED_MODEL, type AgentsCoreModule, type SeedOptions, type WorkflowOutcome } from './openai';

/** What a run recorded, without timings and ids: spans by name with their parent's name, status, attributes and links, and every metric point. */
interface Recorded {
  outcome: WorkflowOutcome;
  spans: ReadableSpan[];
  points: Point[];
  shape: { spans: unknown[]; points: unknown[] };
}

function shapeOf(spans: ReadableSpan[], points: Point[]): Recorded['shape'] {
  const names = new Map(spans.map((s) => [s.spanContext().spanId, s.name]));
  return {
    spans: spans
      .map((s) => [s.name, names.get(s.parentSpanContext?.spanId ?? ''), s.status.code, s.attributes, s.links.map((l) => names.get(l.context.spanId)), s.events.map((e) => e.name)])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    // A histogram's count and, for token usage, its sum: durations differ from run to run.
    points: points.map((p) => [p.name, p.attributes, p.value, p.name === 'gen_ai.client.token.usage' ? p.sum : undefined]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

/** No id of the run on any metric point (the harness scans every collection too). */
function expectNoIds(recorded: Recorded): void {
  expect(recorded.points.length).toBeGreaterThan(0);
  expectNoIdsOnMetrics(recorded.points, recorded.spans);
}

/**
 * Streamed runs of the seed workflow (`run(agent, input, { stream: true })`) on the SDK `load`
 * gives: read event by event or as text, they record what a run not streamed records; a
 * stream left early and one that fails. Each SDK build or version in a file of its own: the
 * SDK's trace provider is process-wide.
 */
export function describeStreamedWorkflow(title: string, load: (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<AgentsCoreModule>): void {
  describe(`streamed runs of the seed workflow, ${title}`, () => {
    let harness: InstrumentationHarness<AgentsInstrumentation> | undefined;
    afterEach(() => harness?.close());

    async function recorded(options: SeedOptions): Promise<Recorded> {
      harness?.close();
      const h = (harness = agentsHarness());
      const sdk = await load(h);
      sdk.setTracingDisabled(false);
      // A stream's `completed` can settle before the SDK has ended the run's spans (0.8 left early): the run's end is awaited.
      const ended = waitForWorkflow(h.recorder, 'support');
      const outcome = await runSupportWorkflow(sdk, { tracer: h.tracerProvider.getTracer('seed-http-client'), ...options });
      await ended;
      const spans = h.spans();
      const points = await h.points();
      return { outcome, spans, points, shape: shapeOf(spans, points) };
    }

    it.each(['events', 'text'] as const)('read as %s: the same spans, nesting, handoff link, metrics and token usage as a run not streamed', async (stream) => {
      const reference = await recorded({});
      const streamed = await recorded({ stream });
      expect(streamed.outcome).toMatchObject({ finalOutput: 'Order 42 has shipped.', lastAgent: 'Specialist' });
      if (stream === 'text') expect(streamed.outcome.streamedText).toBe('Order 42 has shipped.');
      else expect(streamed.outcome.streamedEvents).toContain('agent_updated_stream_event');
      expect(streamed.shape).toEqual(reference.shape);
      // What the shape holds, spelled out: the tool's own span under the tool's, the specialist linked to the transfer, tokens on each chat span.
      const byName = (name: string) => streamed.spans.find((s) => s.name === name)!;
      expect(byName('GET /orders').parentSpanContext?.spanId).toBe(byName('execute_tool lookup_order').spanContext().spanId);
      expect(streamed.outcome.toolContextSpanId).toBe(byName('GET /orders').spanContext().spanId);
      expect(byName('invoke_agent Specialist').links.map((l) => l.context.spanId)).toEqual([byName('execute_tool transfer_to_Specialist Specialist').spanContext().spanId]);
      const chats = streamed.spans.filter((s) => s.name === `chat ${SCRIPTED_MODEL}`);
      expect(chats.map((c) => [c.attributes['gen_ai.usage.input_tokens'], c.attributes['gen_ai.usage.output_tokens']])).toEqual([[12, 5], [12, 5], [12, 5]]);
      expect(valueOf(streamed.points, 'gen_ai.client.token.usage', { 'gen_ai.token.type': 'input' })).toBe(3);
      expectNoIds(streamed);
    });

    it('a final response without usage: no token attributes on the chat spans and no token usage recorded, the rest the same', async () => {
      const streamed = await recorded({ stream: 'events', streamScript: { withoutUsage: true } });
      expect(streamed.outcome.finalOutput).toBe('Order 42 has shipped.');
      const chats = streamed.spans.filter((s) => s.name === `chat ${SCRIPTED_MODEL}`);
      expect(chats).toHaveLength(3);
      for (const chat of chats) expect(chat.attributes).not.toHaveProperty('gen_ai.usage.input_tokens');
      expect(streamed.points.filter((p) => p.name === 'gen_ai.client.token.usage')).toEqual([]);
      expect(valueOf(streamed.points, 'gen_ai.client.operation.duration', { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': SCRIPTED_MODEL })).toBe(3);
    });

    it('a stream the application leaves after its first event: the run stops there, what started ends unfailed, nothing stays active', async () => {
      const streamed = await recorded({ stream: 'abandon' });
      expect(streamed.outcome.streamedEvents).toEqual(['raw_model_stream_event']);
      expect(streamed.outcome.error).toBeUndefined();
      const names = streamed.spans.map((s) => s.name).sort();
      expect(names).toEqual([`chat ${SCRIPTED_MODEL}`, 'invoke_agent Triage', 'invoke_workflow support']);
      for (const span of streamed.spans) expect(span.status.code, span.name).toBe(SpanStatusCode.UNSET);
      expect(valueOf(streamed.points, 'gen_ai.workflow.duration', { 'gen_ai.workflow.name': 'support' })).toBe(1);
      expect(valueOf(streamed.points, 'gen_ai.invoke_agent.duration', { 'gen_ai.agent.name': 'Triage' })).toBe(1);
      expect(valueOf(streamed.points, 'agents.active_invocations', { 'gen_ai.agent.name': 'Triage' })).toBe(0);
      expect(streamed.points.filter((p) => p.name === 'agents.transfers')).toEqual([]);
      expectNoIds(streamed);
    });

    it('a stream that fails: the application sees the error, the chat, agent and workflow spans fail, the tool span still nests', async () => {
      const streamed = await recorded({ stream: 'events', streamScript: { failsMidStream: true } });
      expect(streamed.outcome.error).toBe('StreamBroke');
      const failed = streamed.spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => [s.name, s.attributes['error.type']]);
      expect(failed.sort()).toEqual([
        [`chat ${SCRIPTED_MODEL}`, '_OTHER'],
        ['invoke_agent Specialist', '_OTHER'],
        ['invoke_workflow support', '_OTHER'],
      ]);
      const byName = (name: string) => streamed.spans.find((s) => s.name === name)!;
      expect(byName('GET /orders').parentSpanContext?.spanId).toBe(byName('execute_tool lookup_order').spanContext().spanId);
      expect(valueOf(streamed.points, 'gen_ai.workflow.duration', { 'gen_ai.workflow.name': 'support', 'error.type': '_OTHER' })).toBe(1);
      expect(valueOf(streamed.points, 'gen_ai.invoke_agent.duration', { 'gen_ai.agent.name': 'Specialist', 'error.type': '_OTHER' })).toBe(1);
      expect(valueOf(streamed.points, 'agents.active_invocations', { 'gen_ai.agent.name': 'Specialist' })).toBe(0);
      expectNoIds(streamed);
    });
  });
}
