import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../../src/instrumentation';
import { agentsHarness, expectNoIdsOnMetrics, valueOf } from './harness';
import { INPUT_TOKENS, OUTPUT_TOKENS, SCRIPTED_MODEL, runSupportWorkflow, type AgentsCoreModule } from './openai';

const byName = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`${found.length} spans named ${name}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
};
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/**
 * The seed workflow on the SDK `load` gives: every span, metric and event of the contract's
 * agent section, a span started inside a tool nested under the tool's span, a guardrail that
 * trips and one that passes, and no id on any metric point. Each SDK build or version in a file
 * of its own: the SDK's trace provider is process-wide, and the first SDK loaded creates it.
 */
export function describeSeedWorkflow(title: string, load: (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<AgentsCoreModule>): void {
  describe(`the OpenAI Agents SDK seed workflow, ${title}`, () => {
    let harness: InstrumentationHarness<AgentsInstrumentation>;
    let sdk: AgentsCoreModule;
    beforeEach(async () => {
      harness = agentsHarness();
      sdk = await load(harness);
      // The SDK turns its tracing off under NODE_ENV=test (vitest sets it): a test must turn it on.
      sdk.setTracingDisabled(false);
    });
    afterEach(() => harness.close());

    it('a triage agent hands off to a specialist that calls a tool: spans, links and nesting', async () => {
      const outcome = await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
      expect(outcome).toMatchObject({ finalOutput: 'Order 42 has shipped.', lastAgent: 'Specialist' });
      const spans = harness.spans();
      const workflow = byName(spans, 'invoke_workflow support');
      const triage = byName(spans, 'invoke_agent Triage');
      const specialist = byName(spans, 'invoke_agent Specialist');
      const transfer = byName(spans, 'execute_tool transfer_to_Specialist Specialist');
      const tool = byName(spans, 'execute_tool lookup_order');
      const http = byName(spans, 'GET /orders');
      const chats = spans.filter((s) => s.name === `chat ${SCRIPTED_MODEL}`);

      expect(workflow.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'support', 'gen_ai.conversation.id': 'conv-42' });
      expect(parentOf(triage)).toBe(workflow.spanContext().spanId);
      expect(parentOf(specialist)).toBe(workflow.spanContext().spanId);
      expect(triage.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': 'openai',
        'gen_ai.agent.name': 'Triage',
        'gen_ai.conversation.id': 'conv-42',
        'gen_ai.request.model': SCRIPTED_MODEL,
      });
      expect(parentOf(transfer)).toBe(triage.spanContext().spanId);
      expect(transfer.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'transfer_to_Specialist',
        'gen_ai.agent.name': 'Triage',
        'gen_ai.transfer.target.name': 'Specialist',
        'gen_ai.transfer.target.type': 'agent',
        'gen_ai.transfer.mode': 'pass_control',
      });
      expect(specialist.links.map((l) => l.context.spanId)).toEqual([transfer.spanContext().spanId]);
      expect(parentOf(tool)).toBe(specialist.spanContext().spanId);
      expect(tool.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.type': 'function' });
      // Content capture is off by default.
      expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
      expect(tool.attributes['gen_ai.tool.call.result']).toBeUndefined();
      // The span the tool started nests under the tool's span.
      expect(outcome.toolContextSpanId).toBe(http.spanContext().spanId);
      expect(parentOf(http)).toBe(tool.spanContext().spanId);
      expect(http.spanContext().traceId).toBe(workflow.spanContext().traceId);
      expect(chats).toHaveLength(3);
      for (const chat of chats) {
        expect(chat.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': SCRIPTED_MODEL, 'gen_ai.usage.input_tokens': INPUT_TOKENS, 'gen_ai.usage.output_tokens': OUTPUT_TOKENS });
        expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
      }
      expect(chats.map(parentOf).sort()).toEqual([triage, specialist, specialist].map((s) => s.spanContext().spanId).sort());
      for (const span of [workflow, triage, specialist, transfer, tool]) expect(span.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('the GenAI metrics and agents.agent.registered, with no id on any metric point', async () => {
      await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
      const points = await harness.points();
      expect(valueOf(points, 'gen_ai.workflow.duration', { 'gen_ai.workflow.name': 'support' })).toBe(1);
      expect(valueOf(points, 'gen_ai.invoke_agent.duration', { 'gen_ai.agent.name': 'Triage' })).toBe(1);
      expect(valueOf(points, 'gen_ai.invoke_agent.duration', { 'gen_ai.agent.name': 'Specialist' })).toBe(1);
      expect(valueOf(points, 'gen_ai.execute_tool.duration', { 'gen_ai.tool.name': 'lookup_order' })).toBe(1);
      expect(valueOf(points, 'gen_ai.execute_tool.duration', { 'gen_ai.tool.name': 'transfer_to_Specialist' })).toBe(1);
      expect(valueOf(points, 'agents.transfers', { 'gen_ai.agent.name': 'Triage', 'gen_ai.transfer.target.name': 'Specialist', 'gen_ai.transfer.mode': 'pass_control' })).toBe(1);
      expect(valueOf(points, 'agents.active_invocations', { 'gen_ai.agent.name': 'Triage' })).toBe(0);
      expect(valueOf(points, 'agents.active_invocations', { 'gen_ai.agent.name': 'Specialist' })).toBe(0);
      expect(valueOf(points, 'gen_ai.client.operation.duration', { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': SCRIPTED_MODEL })).toBe(3);
      expect(valueOf(points, 'gen_ai.client.operation.duration', { 'gen_ai.operation.name': 'invoke_workflow' })).toBe(1);
      const tokens = points.filter((p) => p.name === 'gen_ai.client.token.usage');
      expect(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.attributes['gen_ai.request.model'], p.value, p.sum]).sort()).toEqual([
        ['input', SCRIPTED_MODEL, 3, 3 * INPUT_TOKENS],
        ['output', SCRIPTED_MODEL, 3, 3 * OUTPUT_TOKENS],
      ]);
      expect(points.length).toBeGreaterThan(10);
      expectNoIdsOnMetrics(points, harness.spans());

      const registered = harness.events('agents.agent.registered');
      expect(registered.map((e) => e.attributes)).toEqual([
        { 'gen_ai.agent.name': 'Triage', 'agents.agent.tools': [], 'agents.agent.handoffs': ['Specialist'] },
        { 'gen_ai.agent.name': 'Specialist', 'agents.agent.tools': ['lookup_order'], 'agents.agent.handoffs': [] },
      ]);
      // Once per agent definition: a second run registers nobody again.
      await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
      expect(harness.events('agents.agent.registered')).toHaveLength(2);
    });

    it('a guardrail that trips: the run fails as bare, an agents.guardrail event and a trigger counted', async () => {
      const outcome = await runSupportWorkflow(sdk, { tripGuardrail: true });
      expect(outcome.error).toBe('InputGuardrailTripwireTriggered');
      const spans = harness.spans();
      const triage = byName(spans, 'invoke_agent Triage');
      expect(triage.events.filter((e) => e.name === 'agents.guardrail').map((e) => e.attributes)).toEqual([
        { 'agents.guardrail.name': 'politeness', 'agents.guardrail.triggered': true },
      ]);
      expect(triage.status.code).toBe(SpanStatusCode.ERROR);
      const workflow = byName(spans, 'invoke_workflow support');
      expect(workflow.status.code).toBe(SpanStatusCode.ERROR);
      const points = await harness.points();
      expect(valueOf(points, 'agents.guardrail.triggers', { 'agents.guardrail.name': 'politeness', 'gen_ai.agent.name': 'Triage' })).toBe(1);
      expect(valueOf(points, 'gen_ai.invoke_agent.duration', { 'gen_ai.agent.name': 'Triage', 'error.type': '_OTHER' })).toBe(1);
    });

    it('a guardrail that passes: an agents.guardrail event, no trigger', async () => {
      await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
      const triage = byName(harness.spans(), 'invoke_agent Triage');
      expect(triage.events.filter((e) => e.name === 'agents.guardrail').map((e) => e.attributes)).toEqual([
        { 'agents.guardrail.name': 'politeness', 'agents.guardrail.triggered': false },
      ]);
      expect((await harness.points('agents.guardrail.triggers')).length).toBe(0);
    });

    it('a tool that throws: its execute_tool span fails with error.type, its duration is counted failed, the run still answers', async () => {
      const outcome = await runSupportWorkflow(sdk, { toolThrows: true, tracer: harness.tracerProvider.getTracer('seed-http-client') });
      expect(outcome.finalOutput).toBe('Order 42 has shipped.');
      const spans = harness.spans();
      const tool = byName(spans, 'execute_tool lookup_order');
      expect([tool.status.code, tool.attributes['error.type']]).toEqual([SpanStatusCode.ERROR, '_OTHER']);
      expect(byName(spans, 'invoke_workflow support').status.code).toBe(SpanStatusCode.UNSET);
      const points = await harness.points();
      expect(valueOf(points, 'gen_ai.execute_tool.duration', { 'gen_ai.tool.name': 'lookup_order', 'error.type': '_OTHER' })).toBe(1);
      expect(valueOf(points, 'gen_ai.client.operation.duration', { 'gen_ai.operation.name': 'execute_tool', 'error.type': '_OTHER' })).toBe(1);
    });
  });
}
