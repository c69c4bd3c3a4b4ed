import { describe, expect, it } from 'vitest';
import {
  EVENT_ACTOR_LIFECYCLE,
  EVENT_AGENTS_AGENT_REGISTERED,
  METRIC_ACTOR_SPAWNED,
  METRIC_ACTOR_STOPPED,
  METRIC_ACTOR_SYSTEM_DURATION,
  METRIC_AGENTS_TRANSFERS,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  METRIC_GEN_AI_WORKFLOW_DURATION,
} from '@dyntel/semconv';
import { PACKAGE_NAME as AGENTS_SCOPE } from '@dyntel/instrumentation-agents';
import { runNode } from '@dyntel/test-support';
import { FIXTURES } from './support/child';
import { logEventsOf, metricNamesOf, otlpReceiver, spansOf } from './support/otlp';
import { useReceiver } from './support/suite';

// An XState system and an OpenAI Agents SDK run (a scripted model, offline) in an application
// with no telemetry code, under the register entry's real hooks: xstate and @openai/agents
// required by one app, imported by the other. The agents instrumentation is in the register
// list, attaches to the SDK's trace provider when the SDK loads, and stays attached when the
// application calls setTraceProcessors([]). The applications end by themselves.

const receiver = useReceiver(otlpReceiver);

const APPS = [
  { flag: '--require', app: 'agents-app.cjs' },
  { flag: '--import', app: 'agents-app.mjs' },
] as const;

const RESULT = { order: { status: 'delivered' }, support: 'Order 42 has shipped.' };
const AGENT_SPANS = [
  'invoke_workflow e2e-support',
  'invoke_agent Triage',
  'execute_tool transfer_to_Specialist Specialist',
  'invoke_agent Specialist',
  'execute_tool lookup_order',
  'chat scripted-model-1',
];

/** Runs the application to its end under the register entry; what it printed and what was exported. */
async function run(flag: string, app: string, env: Record<string, string> = {}) {
  const child = await runNode({
    nodeArgs: [flag, '@dyntel/register'],
    script: app,
    cwd: FIXTURES,
    // The SDK turns its tracing off under NODE_ENV=test, which vitest set in this process: the
    // application runs as it would outside a test.
    env: { NODE_ENV: '', OTEL_SERVICE_NAME: 'dyntel-e2e', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, DYNTEL_AUTO_INSTRUMENTATIONS: 'false', ...env },
  });
  const received = (path: string) => receiver().received.filter((r) => r.path === path).map((r) => r.body);
  return {
    child,
    result: JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)?.[1] ?? 'null') as unknown,
    spans: received('/v1/traces').flatMap(spansOf),
    metrics: received('/v1/metrics').flatMap(metricNamesOf),
    events: received('/v1/logs').flatMap(logEventsOf),
  };
}

describe.each(APPS)('node $flag @dyntel/register $app', ({ flag, app }) => {
  it('the actor system and the agent workflow are traced and measured, and the application gets what it would have', async () => {
    const { child, ...exported } = await run(flag, app);
    expect({ code: child.code, signal: child.signal, stderr: child.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(exported.result).toEqual(RESULT);

    const system = exported.spans.find((s) => s.name === 'actor.system order');
    expect(system).toMatchObject({ scope: AGENTS_SCOPE, attributes: { 'actor.system': 'xstate', 'actor.type': 'order' } });
    const names = exported.spans.filter((s) => s.scope === AGENTS_SCOPE).map((s) => s.name);
    for (const name of AGENT_SPANS) expect(names).toContain(name);
    // One trace per workflow run: every agent span is in the workflow's.
    const workflow = exported.spans.find((s) => s.name === 'invoke_workflow e2e-support')!;
    expect(new Set(exported.spans.filter((s) => AGENT_SPANS.includes(s.name)).map((s) => s.traceId))).toEqual(new Set([workflow.traceId]));
    expect(exported.spans.find((s) => s.name === 'execute_tool transfer_to_Specialist Specialist')?.attributes).toMatchObject({
      'gen_ai.agent.name': 'Triage',
      'gen_ai.transfer.target.name': 'Specialist',
    });

    for (const metric of [METRIC_ACTOR_SPAWNED, METRIC_ACTOR_STOPPED, METRIC_ACTOR_SYSTEM_DURATION, METRIC_GEN_AI_WORKFLOW_DURATION, METRIC_GEN_AI_INVOKE_AGENT_DURATION, METRIC_GEN_AI_EXECUTE_TOOL_DURATION, METRIC_GEN_AI_CLIENT_TOKEN_USAGE, METRIC_AGENTS_TRANSFERS]) {
      expect(exported.metrics).toContain(metric);
    }
    expect(exported.events.filter((e) => e === EVENT_ACTOR_LIFECYCLE)).toHaveLength(4);
    expect(exported.events.filter((e) => e === EVENT_AGENTS_AGENT_REGISTERED)).toHaveLength(2);
  });

  it('DYNTEL_DISABLED_INSTRUMENTATIONS=agents: no agents telemetry, the same result', async () => {
    const { child, ...exported } = await run(flag, app, { DYNTEL_DISABLED_INSTRUMENTATIONS: 'agents' });
    expect({ code: child.code, signal: child.signal, stderr: child.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(exported.result).toEqual(RESULT);
    expect(exported.spans).toEqual([]);
    expect(exported.metrics.filter((m) => m.startsWith('actor.') || m.startsWith('gen_ai.') || m.startsWith('agents.'))).toEqual([]);
  });
});
