// The agent waits of @dyntel/test-span-assertions on a real XState system and a real OpenAI
// Agents SDK run: a test starts its waits, sets the system going, and awaits the telemetry that
// says the coordination ended, the actor stopped, the handoff happened. Nothing sleeps.
import { afterEach, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { ActorStopReason } from '@dyntel/semconv';
import {
  waitForActorStopped,
  waitForActorSystem,
  waitForAgentInvocation,
  waitForAgentRegistered,
  waitForHandoff,
  waitForWorkflow,
} from '@dyntel/test-span-assertions';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import { runOrderScenario, type XStateModule } from './support/machines';
import { runSupportWorkflow, type AgentsCoreModule } from './support/openai';

let harness: InstrumentationHarness<AgentsInstrumentation>;
afterEach(() => harness.close());

it('the order system: the payment that failed, then the coordination that completed', async () => {
  harness = agentsHarness();
  const x = harness.require<XStateModule>('xstate');
  const declined = waitForActorStopped(harness.recorder, 'payment', { errorType: 'CardDeclined' });
  const completed = waitForActorSystem(harness.recorder, 'order', { failed: false });
  runOrderScenario(x);
  expect((await declined).value).toBe(1);
  expect((await completed).attributes).toMatchObject({ 'actor.system': 'xstate', 'actor.type': 'order' });
  await expect(waitForActorStopped(harness.recorder, 'payment', { reason: ActorStopReason.DONE })).resolves.toMatchObject({ value: 1 });
});

it('a system that ends later, when the promise its root invoked settles, is awaited', async () => {
  harness = agentsHarness();
  const x = harness.require<XStateModule>('xstate');
  let reject!: (error: Error) => void;
  const reservation = new Promise<never>((_, r) => (reject = r));
  const machine = x.setup({ actors: { reserve: x.fromPromise(() => reservation) } }).createMachine({
    id: 'checkout',
    initial: 'reserving',
    states: { reserving: { invoke: { src: 'reserve', onDone: 'done' } }, done: { type: 'final' } },
  });
  const failed = waitForActorSystem(harness.recorder, 'checkout', { errorType: 'RangeError' });
  const actor = x.createActor(machine);
  actor.subscribe({ error: () => {} });
  actor.start();
  let ended = false;
  void failed.then(() => (ended = true));
  await Promise.resolve();
  expect(ended).toBe(false);
  reject(new RangeError('out of stock'));
  const span = await failed;
  expect(span.status.code).toBe(SpanStatusCode.ERROR);
  await expect(waitForActorStopped(harness.recorder, 'reserve', { reason: ActorStopReason.ERROR })).resolves.toMatchObject({ value: 1 });
});

it('the support workflow: agents registered, the handoff from triage to the specialist, its invocation, the run', async () => {
  harness = agentsHarness();
  const sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
  // The SDK turns its tracing off under NODE_ENV=test (vitest sets it): a test must turn it on.
  sdk.setTracingDisabled(false);
  const { recorder } = harness;
  const waits = Promise.all([
    waitForAgentRegistered(recorder, 'Specialist'),
    waitForHandoff(recorder, 'Triage', 'Specialist'),
    waitForAgentInvocation(recorder, 'Specialist', { failed: false }),
    waitForWorkflow(recorder, 'support', { failed: false }),
  ]);
  const outcome = runSupportWorkflow(sdk);
  const [registered, handoff, specialist, run] = await waits;
  expect(registered.attributes).toMatchObject({ 'agents.agent.tools': ['lookup_order'] });
  expect(specialist.links.map((l) => l.context.spanId)).toEqual([handoff.spanContext().spanId]);
  expect(specialist.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
  expect(await outcome).toMatchObject({ finalOutput: 'Order 42 has shipped.' });

  const tripped = waitForWorkflow(recorder, 'support', { failed: true });
  expect((await runSupportWorkflow(sdk, { tripGuardrail: true })).error).toBe('InputGuardrailTripwireTriggered');
  expect((await tripped).attributes['error.type']).toBe('_OTHER');
  await expect(waitForAgentInvocation(recorder, 'Triage', { failed: true })).resolves.toBeDefined();
});
