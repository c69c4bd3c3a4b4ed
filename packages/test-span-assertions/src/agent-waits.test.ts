import { SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ACTOR_SESSION_ID,
  ATTR_ACTOR_STOP_REASON,
  ATTR_ACTOR_SYSTEM,
  ATTR_ACTOR_TYPE,
  ATTR_AGENTS_AGENT_HANDOFFS,
  ATTR_AGENTS_AGENT_TOOLS,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TRANSFER_TARGET_NAME,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ActorStopReason,
  ActorSystem,
  EVENT_AGENTS_AGENT_REGISTERED,
  GenAiOperationName,
  METRIC_ACTOR_STOPPED,
  NAME_LENGTH_LIMIT,
  Severity,
  SPAN_ACTOR_MESSAGE,
  SPAN_ACTOR_SYSTEM,
} from '@dyntel/semconv';
import { emitEvent, spanName } from '@dyntel/instrumentation-kit';
import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import {
  WaitTimeoutError,
  waitForActorStopped,
  waitForActorSystem,
  waitForAgentInvocation,
  waitForAgentRegistered,
  waitForHandoff,
  waitForWorkflow,
} from './index';

// Telemetry emitted the way the contract's agents and actors section describes it, through the
// OpenTelemetry API directly: packages/instrumentation-agents/test/span-assertion-waits.test.ts
// drives a real XState system and a real Agents SDK run through these waits.

/** Ends a span named `name` with `attributes`; `error` is its error type when it failed (`''`: failed without one). */
function end(tracer: Tracer, name: string, attributes: Attributes, error?: string): void {
  const span = tracer.startSpan(name, { attributes });
  if (error !== undefined) {
    if (error !== '') span.setAttribute(ATTR_ERROR_TYPE, error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Ends the `actor.system {root}` span of a root actor. */
const system = (tracer: Tracer, root: string, error?: string) =>
  end(tracer, spanName(SPAN_ACTOR_SYSTEM, root), { [ATTR_ACTOR_SYSTEM]: ActorSystem.XSTATE, [ATTR_ACTOR_TYPE]: root, [ATTR_ACTOR_SESSION_ID]: 'x:0' }, error);

/** Ends an `invoke_workflow` span; `name` undefined for a run without a name of its own. */
const workflow = (tracer: Tracer, name: string | undefined, error?: string) =>
  end(tracer, spanName(GenAiOperationName.INVOKE_WORKFLOW, name), { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.INVOKE_WORKFLOW, ...(name === undefined ? {} : { [ATTR_GEN_AI_WORKFLOW_NAME]: name }) }, error);

const agent = (tracer: Tracer, name: string, error?: string) =>
  end(tracer, spanName(GenAiOperationName.INVOKE_AGENT, name), { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.INVOKE_AGENT, [ATTR_GEN_AI_AGENT_NAME]: name }, error);

/** Ends the `execute_tool` span of a handoff from `from` to `to`, as the agents instrumentation names it. */
const handoff = (tracer: Tracer, from: string, to: string) =>
  end(tracer, `execute_tool transfer_to_${to} ${to}`, {
    [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: `transfer_to_${to}`,
    [ATTR_GEN_AI_AGENT_NAME]: from,
    [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: to,
  });

const failure = async (wait: Promise<unknown>): Promise<WaitTimeoutError> => (await wait.catch((e: unknown) => e)) as WaitTimeoutError;

describe('waitForActorSystem', () => {
  it("resolves with the root type's ended actor.system span, ignoring message spans and other roots; narrowed by outcome", async () => {
    const { recorder, tracer } = privateSetup();
    const done = waitForActorSystem(recorder, 'order');
    const failed = waitForActorSystem(recorder, 'order', { errorType: 'CardDeclined' });
    setImmediate(() => {
      end(tracer, spanName(SPAN_ACTOR_MESSAGE, 'order'), { [ATTR_ACTOR_SYSTEM]: ActorSystem.XSTATE, [ATTR_ACTOR_TYPE]: 'order' });
      system(tracer, 'payment', 'CardDeclined');
      system(tracer, 'order');
      system(tracer, 'order', 'CardDeclined');
    });
    expect(await done).toMatchObject({ name: 'actor.system order', status: { code: SpanStatusCode.UNSET } });
    expect(await failed).toMatchObject({ status: { code: SpanStatusCode.ERROR }, attributes: { [ATTR_ERROR_TYPE]: 'CardDeclined' } });
    // Already recorded.
    await expect(waitForActorSystem(recorder, 'order', { failed: false })).resolves.toBe(await done);
    await expect(waitForActorSystem(recorder, 'order', { failed: true })).resolves.toBe(await failed);
  });

  it('finds a root by a type longer than the contract allows, as telemetry carries it cut', async () => {
    const { recorder, tracer } = privateSetup();
    const long = 'order-'.repeat(30);
    system(tracer, long.slice(0, NAME_LENGTH_LIMIT));
    await expect(waitForActorSystem(recorder, long)).resolves.toBeDefined();
  });

  it("on timeout lists the root's ended systems and other roots' failed ones, names escaped", async () => {
    const { recorder, tracer } = privateSetup();
    system(tracer, 'order');
    system(tracer, 'refund\u202e', 'Timeout');
    system(tracer, 'billing');
    const error = await failure(waitForActorSystem(recorder, 'order', { failed: true, timeoutMillis: 25 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toContain('waitForActorSystem timed out after 25 ms.\n\nExpected the actor system of root "order" to end that failed, i.e. a span matching:');
    expect(error.message).toContain('Ended systems of root "order" (1):\n  - "actor.system order": succeeded');
    expect(error.message).toContain('Ended systems of other roots that failed (1):\n  - "actor.system refund\\u202e": failed with "Timeout"');
    expect(error.message).not.toContain('actor.system billing":');
    expect(error.stack?.split('\n').find((line) => line.startsWith('    at '))).toContain('agent-waits.test.ts');
  });
});

describe('waitForWorkflow', () => {
  it("resolves with that workflow's ended run, or an unnamed one's with null, and narrows by outcome", async () => {
    const { recorder, tracer } = privateSetup();
    const support = waitForWorkflow(recorder, 'support', { failed: true });
    const unnamed = waitForWorkflow(recorder, null);
    setImmediate(() => {
      workflow(tracer, 'billing', '_OTHER');
      workflow(tracer, 'support');
      workflow(tracer, 'support', '_OTHER');
      workflow(tracer, undefined);
    });
    expect(await support).toMatchObject({ name: 'invoke_workflow support', attributes: { [ATTR_ERROR_TYPE]: '_OTHER' } });
    expect((await unnamed).name).toBe('invoke_workflow');
    expect((await waitForWorkflow(recorder, 'support', { failed: false })).attributes[ATTR_ERROR_TYPE]).toBeUndefined();
  });

  it("on timeout lists the workflow's runs and other workflows' runs", async () => {
    const { recorder, tracer } = privateSetup();
    workflow(tracer, 'support', '_OTHER');
    workflow(tracer, undefined);
    const error = await failure(waitForWorkflow(recorder, 'support', { failed: false, timeoutMillis: 25 }));
    expect(error.message).toContain('waitForWorkflow timed out after 25 ms.\n\nExpected a run of workflow "support" to end that succeeded, i.e. a span matching:');
    expect(error.message).toContain('Ended runs of workflow "support" (1):\n  - "invoke_workflow support": failed with "_OTHER"');
    expect(error.message).toContain('Ended runs of other workflows (1):\n  - "invoke_workflow": succeeded');
    const unnamed = await failure(waitForWorkflow(recorder, null, { failed: true, timeoutMillis: 25 }));
    expect(unnamed.message).toContain('Ended runs of workflows without a name (1):\n  - "invoke_workflow": succeeded');
    expect(unnamed.message).toContain('Ended runs of other workflows that failed (1):\n  - "invoke_workflow support": failed with "_OTHER"');
  });
});

describe('waitForAgentInvocation', () => {
  it("resolves with the agent's ended invocation; on timeout lists its invocations and other agents'", async () => {
    const { recorder, tracer } = privateSetup();
    const specialist = waitForAgentInvocation(recorder, 'Specialist');
    setImmediate(() => {
      agent(tracer, 'Triage');
      agent(tracer, 'Specialist');
    });
    expect((await specialist).attributes).toMatchObject({ [ATTR_GEN_AI_AGENT_NAME]: 'Specialist' });
    const error = await failure(waitForAgentInvocation(recorder, 'Specialist', { errorType: 'ToolError', timeoutMillis: 25 }));
    expect(error.message).toContain('Expected an invocation of agent "Specialist" to end that failed with "ToolError", i.e. a span matching:');
    expect(error.message).toContain('Ended invocations of agent "Specialist" (1):\n  - "invoke_agent Specialist": succeeded');
    const other = await failure(waitForAgentInvocation(recorder, 'Billing', { timeoutMillis: 25 }));
    expect(other.message).toContain('Ended invocations of other agents (2):\n  - "invoke_agent Triage": succeeded\n  - "invoke_agent Specialist": succeeded');
  });
});

describe('waitForHandoff', () => {
  it('resolves with the transfer from A to B, ignoring other transfers and tools', async () => {
    const { recorder, tracer } = privateSetup();
    const wait = waitForHandoff(recorder, 'Triage', 'Specialist');
    setImmediate(() => {
      handoff(tracer, 'Triage', 'Billing');
      handoff(tracer, 'Billing', 'Specialist');
      end(tracer, 'execute_tool lookup_order', { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.EXECUTE_TOOL, [ATTR_GEN_AI_AGENT_NAME]: 'Triage', [ATTR_GEN_AI_TOOL_NAME]: 'lookup_order' });
      handoff(tracer, 'Triage', 'Specialist');
    });
    expect((await wait).name).toBe('execute_tool transfer_to_Specialist Specialist');
  });

  it('on timeout lists the handoffs from A and those to B from other agents, names escaped', async () => {
    const { recorder, tracer } = privateSetup();
    handoff(tracer, 'Triage', 'Billing');
    handoff(tracer, 'Billing\n', 'Specialist');
    const error = await failure(waitForHandoff(recorder, 'Triage', 'Specialist', { timeoutMillis: 25 }));
    expect(error.message).toContain('waitForHandoff timed out after 25 ms.\n\nExpected a handoff from agent "Triage" to agent "Specialist", i.e. a span matching:');
    expect(error.message).toContain('Handoffs from agent "Triage" (1):\n  - "Triage" → "Billing"');
    expect(error.message).toContain('Handoffs to agent "Specialist" from other agents (1):\n  - "Billing\\n" → "Specialist"');
  });
});

describe('waitForAgentRegistered', () => {
  it("resolves with the agent's registration; on timeout lists the agents registered", async () => {
    const { recorder, logger } = privateSetup();
    const register = (name: string) =>
      emitEvent(logger as never, { name: EVENT_AGENTS_AGENT_REGISTERED, severity: Severity.INFO, attributes: { [ATTR_GEN_AI_AGENT_NAME]: name, [ATTR_AGENTS_AGENT_TOOLS]: [], [ATTR_AGENTS_AGENT_HANDOFFS]: [] } });
    const triage = waitForAgentRegistered(recorder, 'Triage');
    setImmediate(() => register('Triage'));
    expect((await triage).attributes[ATTR_GEN_AI_AGENT_NAME]).toBe('Triage');
    const error = await failure(waitForAgentRegistered(recorder, 'Specialist', { timeoutMillis: 25 }));
    expect(error.message).toContain('Expected agent "Specialist" to register, i.e. an event matching:');
    expect(error.message).toContain('Other agents registered (1):\n  - "Triage"');
  });
});

describe('waitForActorStopped', () => {
  it('resolves once that many actors of the type stopped, for the reason and error type given', async () => {
    const { recorder, meter } = privateSetup();
    const stopped = meter.createCounter(METRIC_ACTOR_STOPPED, { unit: '{actor}' });
    const twoFailures = waitForActorStopped(recorder, 'payment', { reason: ActorStopReason.ERROR, count: 2 });
    const declined = waitForActorStopped(recorder, 'payment', { errorType: 'CardDeclined' });
    stopped.add(1, { [ATTR_ACTOR_TYPE]: 'payment', [ATTR_ACTOR_STOP_REASON]: ActorStopReason.DONE });
    stopped.add(1, { [ATTR_ACTOR_TYPE]: 'shipper', [ATTR_ACTOR_STOP_REASON]: ActorStopReason.ERROR, [ATTR_ERROR_TYPE]: 'CardDeclined' });
    stopped.add(1, { [ATTR_ACTOR_TYPE]: 'payment', [ATTR_ACTOR_STOP_REASON]: ActorStopReason.ERROR, [ATTR_ERROR_TYPE]: 'Timeout' });
    await expect(waitForActorStopped(recorder, 'payment')).resolves.toMatchObject({ value: 2 });
    stopped.add(1, { [ATTR_ACTOR_TYPE]: 'payment', [ATTR_ACTOR_STOP_REASON]: ActorStopReason.ERROR, [ATTR_ERROR_TYPE]: 'CardDeclined' });
    expect(await twoFailures).toMatchObject({ name: METRIC_ACTOR_STOPPED, value: 2 });
    expect((await declined).points).toEqual([expect.objectContaining({ value: 1 })]);
  });

  it('on timeout gives the type\'s count and the points it did not count', async () => {
    const { recorder, meter } = privateSetup();
    const stopped = meter.createCounter(METRIC_ACTOR_STOPPED, { unit: '{actor}' });
    stopped.add(1, { [ATTR_ACTOR_TYPE]: 'payment', [ATTR_ACTOR_STOP_REASON]: ActorStopReason.DONE });
    const error = await failure(waitForActorStopped(recorder, 'payment', { reason: ActorStopReason.STOPPED, timeoutMillis: 25 }));
    expect(error.message).toContain('waitForActorStopped timed out after 25 ms.\n\nExpected an actor of type "payment" to stop with reason stopped, i.e. metric "actor.stopped" where attributes:');
    expect(error.message).toContain('"actor.stop.reason": "done"');
  });
});

describe('the agent waits reject arguments that cannot describe what they await', () => {
  it('names, outcomes, reasons and counts', async () => {
    const { recorder } = privateSetup();
    await expect(waitForActorSystem(recorder, '')).rejects.toThrow(`waitForActorSystem: invalid actor name: ""; expected the actor's name, a non-empty string`);
    await expect(waitForWorkflow(recorder, undefined as never)).rejects.toThrow(`waitForWorkflow: invalid workflow name: undefined; expected the workflow's name, a non-empty string`);
    await expect(waitForHandoff(recorder, 'Triage', 7 as never)).rejects.toThrow(`waitForHandoff: invalid agent name: 7; expected the agent's name, a non-empty string`);
    await expect(waitForAgentInvocation(recorder, 'Triage', { failed: 'yes' as never })).rejects.toThrow('waitForAgentInvocation: invalid failed: "yes"; expected true or false');
    await expect(waitForWorkflow(recorder, 'support', { failed: false, errorType: '_OTHER' })).rejects.toThrow(
      'waitForWorkflow: invalid failed: false; expected true or unset with an errorType: only a failure has one',
    );
    await expect(waitForActorStopped(recorder, 'payment', { reason: 'crashed' as never })).rejects.toThrow('waitForActorStopped: invalid reason: "crashed"; expected one of done, error, stopped');
    await expect(waitForActorStopped(recorder, 'payment', { reason: ActorStopReason.DONE, errorType: 'E' })).rejects.toThrow(
      'waitForActorStopped: invalid reason: "done"; expected error or unset with an errorType: only a failure has one',
    );
    await expect(waitForActorStopped(recorder, 'payment', { count: 0 })).rejects.toThrow('waitForActorStopped: invalid count: 0; expected a number of actors, an integer from 1');
  });
});
