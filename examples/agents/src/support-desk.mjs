// The support desk, plain OpenAI Agents SDK with no telemetry code: a Triage agent hands the
// customer off to an Orders agent, which calls the `order_status` tool (it reads what the
// fulfilment system decided) and answers. The agents run on a scripted model.
import { Agent, Runner, setTraceProcessors, tool } from '@openai/agents';
import { z } from 'zod';
import { answer, callTool, scriptedModel } from './scripted-model.mjs';

/** Asks the support desk about order `id`, whose outcome is in `outcomes`; resolves with the final answer. */
export async function askSupport(id, outcomes) {
  // The SDK's default processor would send the traces to OpenAI: this example stays offline.
  // The dyntel instrumentation keeps its own processor through this call.
  setTraceProcessors([]);
  const orderStatus = tool({
    name: 'order_status',
    description: 'The status of an order',
    parameters: z.object({ id: z.string() }),
    execute: async ({ id }) => outcomes[id] ?? 'unknown',
  });
  const orders = new Agent({
    name: 'Orders',
    instructions: 'Answer questions about orders.',
    tools: [orderStatus],
    model: scriptedModel([[callTool('order_status', { id }, 'call_status')], [answer(`Order ${id} was ${outcomes[id]}.`)]]),
  });
  const triage = new Agent({
    name: 'Triage',
    instructions: 'Route the customer to the right agent.',
    handoffs: [orders],
    model: scriptedModel([[callTool('transfer_to_Orders', {}, 'call_transfer')]]),
  });
  const runner = new Runner({ workflowName: 'support-desk', modelProvider: { getModel: () => scriptedModel([]) } });
  const result = await runner.run(triage, `What happened to my order ${id}?`);
  return result.finalOutput;
}
