import { afterEach, describe, expect, it } from 'vitest';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../../src/instrumentation';
import { agentsHarness, valueOf } from './harness';
import { runSupportWorkflow, type AgentsCoreModule } from './openai';

/**
 * The seed workflow's spans, links, nesting, metrics and a tripped guardrail, on the SDK
 * `load` gives. Each SDK build or version in a file of its own: the SDK's trace provider is
 * process-wide, and the first SDK loaded creates it.
 */
export function describeSeedWorkflow(title: string, load: (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<AgentsCoreModule>): void {
  describe(`the seed workflow, ${title}`, () => {
  let harness: InstrumentationHarness<AgentsInstrumentation>;
  afterEach(() => harness.close());

  it('spans nest, the specialist links to the transfer, metrics are recorded', async () => {
    harness = agentsHarness();
    const sdk = await load(harness);
    sdk.setTracingDisabled(false);
    const outcome = await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
    expect(outcome).toMatchObject({ finalOutput: 'Order 42 has shipped.', lastAgent: 'Specialist' });
    const spans = harness.spans();
    const find = (name: string) => spans.find((s) => s.name === name)!;
    const workflow = find('invoke_workflow support');
    const specialist = find('invoke_agent Specialist');
    const transfer = find('execute_tool transfer_to_Specialist Specialist');
    const tool = find('execute_tool lookup_order');
    expect(workflow).toBeDefined();
    expect(specialist.parentSpanContext?.spanId).toBe(workflow.spanContext().spanId);
    expect(specialist.links.map((l) => l.context.spanId)).toEqual([transfer.spanContext().spanId]);
    expect(tool.parentSpanContext?.spanId).toBe(specialist.spanContext().spanId);
    expect(find('GET /orders').parentSpanContext?.spanId).toBe(tool.spanContext().spanId);
    const points = await harness.points();
    expect(valueOf(points, 'agents.transfers', { 'gen_ai.agent.name': 'Triage', 'gen_ai.transfer.target.name': 'Specialist' })).toBe(1);
    expect(valueOf(points, 'gen_ai.invoke_agent.duration', { 'gen_ai.agent.name': 'Specialist' })).toBe(1);
  });

  it('a guardrail that trips: the event, the trigger and the failed workflow', async () => {
    harness = agentsHarness();
    const sdk = await load(harness);
    sdk.setTracingDisabled(false);
    const outcome = await runSupportWorkflow(sdk, { tripGuardrail: true });
    expect(outcome.error).toBe('InputGuardrailTripwireTriggered');
    const triage = harness.spans().find((s) => s.name === 'invoke_agent Triage')!;
    expect(triage.events.map((e) => [e.name, e.attributes?.['agents.guardrail.triggered']])).toContainEqual(['agents.guardrail', true]);
    const points = await harness.points();
    expect(valueOf(points, 'agents.guardrail.triggers', { 'agents.guardrail.name': 'politeness' })).toBe(1);
    expect(valueOf(points, 'gen_ai.workflow.duration', { 'gen_ai.workflow.name': 'support', 'error.type': '_OTHER' })).toBe(1);
  });
});
}
