import { agentRecords } from '../families/agents';
import type { RuleParameters } from '../parameters';
import { dashboard, labelVariable, stat, table, timeseries, type Dashboard } from './grafana';
import { quantile } from './promql';

const AGENTS = 'gen_ai_invoke_agent_duration_seconds';
const TOOLS = 'gen_ai_execute_tool_duration_seconds';
const OPERATIONS = 'gen_ai_client_operation_duration_seconds';
const JOB = 'job=~"$job"';
const A = `${JOB}, gen_ai_agent_name=~"$agent"`;
const T = `${JOB}, actor_type=~"$actor_type"`;
const AGENT = '{{job}} {{gen_ai_agent_name}}';
const TOOL = '{{job}} {{gen_ai_tool_name}}';
const ACTOR = '{{job}} {{actor_type}}';

/** Agents and actors: agent invocations, failures, tools, transfers, guardrails, model calls and tokens; actors' lifecycle, messages, transitions, mailboxes. */
export function agentsDashboard(p: RuleParameters): Dashboard {
  const records = agentRecords(p.rateWindow);
  return dashboard({
    uid: 'dyntel-agents',
    title: 'dyntel / Agents and actors',
    description: "The agent frameworks (OpenAI Agents SDK, OpenTelemetry's gen_ai metrics) and actor runtimes (XState) of the dyntel telemetry contract.",
    variables: [
      labelVariable('job', 'Job', `{__name__=~"${AGENTS}_count|actor_spawned_total"}`, 'job'),
      labelVariable('agent', 'Agent', `${AGENTS}_count{${JOB}}`, 'gen_ai_agent_name'),
      labelVariable('actor_type', 'Actor type', `actor_spawned_total{${JOB}}`, 'actor_type'),
    ],
    sections: [
      {
        title: 'Agents',
        panels: [
          stat({ title: 'Agent invocations', description: 'Agent invocations over the time range.', unit: 'short', queries: [{ expr: `sum(increase(${AGENTS}_count{${A}}[$__range]))` }] }),
          stat({ title: 'Failed invocations', description: 'Agent invocations that failed, over the time range.', unit: 'short', redFrom: 1, queries: [{ expr: `sum(increase(${AGENTS}_count{${A}, error_type!=""}[$__range]))` }] }),
          stat({ title: 'Invocations in progress', description: 'Agent invocations running now.', unit: 'short', queries: [{ expr: `sum(agents_active_invocations{${A}})` }] }),
          stat({ title: 'Guardrail trips', description: 'Guardrails that tripped over the time range.', unit: 'short', queries: [{ expr: `sum(increase(agents_guardrail_triggers_total{${A}}[$__range]))` }] }),
          stat({ title: 'Workflow runs', description: 'Workflow runs over the time range.', unit: 'short', queries: [{ expr: `sum(increase(gen_ai_workflow_duration_seconds_count{${JOB}}[$__range]))` }] }),
          stat({ title: 'Transfers', description: 'Handoffs and agents called as tools, over the time range.', unit: 'short', queries: [{ expr: `sum(increase(agents_transfers_total{${A}}[$__range]))` }] }),
          timeseries({
            title: 'Agent invocations',
            description: `Invocations per second by agent (recording rule ${records.invocations}).`,
            unit: 'ops',
            queries: [{ expr: `${records.invocations}{${A}}`, legend: AGENT }],
          }),
          timeseries({
            title: 'Agent failure share',
            description: `The share of an agent's invocations that fail (recording rule ${records.agentFailureRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: `${records.agentFailureRatio}{${A}}`, legend: AGENT }],
          }),
          timeseries({
            title: 'Agent invocation duration',
            description: 'Quantiles of one agent invocation.',
            unit: 's',
            queries: [
              { expr: quantile(0.5, AGENTS, 'job, gen_ai_agent_name', A), legend: `${AGENT} p50` },
              { expr: quantile(0.99, AGENTS, 'job, gen_ai_agent_name', A), legend: `${AGENT} p99` },
            ],
          }),
          timeseries({
            title: 'Failed invocations by error type',
            description: 'Failed agent invocations per second, by error.type.',
            unit: 'ops',
            queries: [{ expr: `sum by (job, gen_ai_agent_name, error_type) (rate(${AGENTS}_count{${A}, error_type!=""}[$__rate_interval]))`, legend: `${AGENT} {{error_type}}` }],
          }),
          timeseries({
            title: 'Transfers',
            description: 'Transfers per second from agent to agent, by mode (pass_control: a handoff; return_to_caller: an agent used as a tool).',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (job, gen_ai_agent_name, gen_ai_transfer_target_name, gen_ai_transfer_mode) (rate(agents_transfers_total{${A}}[$__rate_interval]))`,
                legend: '{{job}} {{gen_ai_agent_name}} → {{gen_ai_transfer_target_name}} ({{gen_ai_transfer_mode}})',
              },
            ],
          }),
          timeseries({
            title: 'Guardrail trips',
            description: 'Guardrails tripping per second, by guardrail and agent.',
            unit: 'ops',
            queries: [{ expr: `sum by (job, agents_guardrail_name, gen_ai_agent_name) (rate(agents_guardrail_triggers_total{${A}}[$__rate_interval]))`, legend: `${AGENT} {{agents_guardrail_name}}` }],
          }),
        ],
      },
      {
        title: 'Tools and models',
        panels: [
          timeseries({
            title: 'Tool executions',
            description: 'Tool executions per second by tool (a handoff is the tool transfer_to_<agent>).',
            unit: 'ops',
            queries: [{ expr: `sum by (job, gen_ai_tool_name) (rate(${TOOLS}_count{${JOB}}[$__rate_interval]))`, legend: TOOL }],
          }),
          timeseries({
            title: 'Tool failure share',
            description: `The share of a tool's executions that fail (recording rule ${records.toolFailureRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: `${records.toolFailureRatio}{${JOB}}`, legend: TOOL }],
          }),
          timeseries({
            title: 'Tool duration',
            description: 'Quantiles of one tool execution.',
            unit: 's',
            queries: [
              { expr: quantile(0.5, TOOLS, 'job, gen_ai_tool_name', JOB), legend: `${TOOL} p50` },
              { expr: quantile(0.99, TOOLS, 'job, gen_ai_tool_name', JOB), legend: `${TOOL} p99` },
            ],
          }),
          timeseries({
            title: 'GenAI operations',
            description: 'GenAI operations per second (workflows, agent turns, tool calls, model calls), by operation, model and error.type.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (job, gen_ai_operation_name, gen_ai_request_model, error_type) (rate(${OPERATIONS}_count{${JOB}}[$__rate_interval]))`,
                legend: '{{job}} {{gen_ai_operation_name}} {{gen_ai_request_model}} {{error_type}}',
              },
            ],
          }),
          timeseries({
            title: 'Model call duration',
            description: 'Quantiles of one model call (operation chat), by model.',
            unit: 's',
            queries: [
              { expr: quantile(0.5, OPERATIONS, 'job, gen_ai_request_model', `${JOB}, gen_ai_operation_name="chat"`), legend: '{{job}} {{gen_ai_request_model}} p50' },
              { expr: quantile(0.99, OPERATIONS, 'job, gen_ai_request_model', `${JOB}, gen_ai_operation_name="chat"`), legend: '{{job}} {{gen_ai_request_model}} p99' },
            ],
          }),
          timeseries({
            title: 'Tokens',
            description: 'Model tokens per second, by model and token type.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (job, gen_ai_request_model, gen_ai_token_type) (rate(gen_ai_client_token_usage_sum{${JOB}}[$__rate_interval]))`,
                legend: '{{job}} {{gen_ai_request_model}} {{gen_ai_token_type}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Actors',
        panels: [
          stat({ title: 'Actors alive', description: 'Actors spawned and not stopped yet.', unit: 'short', queries: [{ expr: `sum(actor_active{${T}})` }] }),
          stat({ title: 'Actors failed', description: 'Actors that stopped with an error, over the time range.', unit: 'short', redFrom: 1, queries: [{ expr: `sum(increase(actor_stopped_total{${T}, actor_stop_reason="error"}[$__range]))` }] }),
          stat({ title: 'Restarts', description: 'Actors restarted after an error, over the time range.', unit: 'short', queries: [{ expr: `sum(increase(actor_restarts_total{${T}}[$__range]))` }] }),
          stat({ title: 'Messages dropped', description: 'Messages sent to stopped actors, over the time range.', unit: 'short', queries: [{ expr: `sum(increase(actor_messages_dropped_total{${T}}[$__range]))` }] }),
          stat({ title: 'Deepest mailbox', description: 'The deepest mailbox of the live actors now.', unit: 'short', queries: [{ expr: `max(actor_mailbox_depth{${T}})` }] }),
          stat({ title: 'Coordinations', description: 'Coordination sessions (a root actor and all it spawned) that ended, over the time range.', unit: 'short', queries: [{ expr: `sum(increase(actor_system_duration_seconds_count{${T}}[$__range]))` }] }),
          timeseries({
            title: 'Actors alive',
            description: 'Live actors by type.',
            unit: 'short',
            min: 0,
            queries: [{ expr: `sum by (job, actor_type) (actor_active{${T}})`, legend: ACTOR }],
          }),
          timeseries({
            title: 'Actor lifecycle',
            description: 'Actors spawned, stopped by reason, and restarted, per second.',
            unit: 'ops',
            queries: [
              { expr: `sum by (job, actor_type) (rate(actor_spawned_total{${T}}[$__rate_interval]))`, legend: `${ACTOR} spawned` },
              { expr: `sum by (job, actor_type, actor_stop_reason) (rate(actor_stopped_total{${T}}[$__rate_interval]))`, legend: `${ACTOR} stopped {{actor_stop_reason}}` },
              { expr: `sum by (job, actor_type) (rate(actor_restarts_total{${T}}[$__rate_interval]))`, legend: `${ACTOR} restarted` },
            ],
          }),
          timeseries({
            title: 'Messages',
            description: 'Messages processed per second, by target type and message type.',
            unit: 'ops',
            queries: [{ expr: `sum by (job, actor_type, actor_message_type) (rate(actor_message_duration_seconds_count{${T}}[$__rate_interval]))`, legend: `${ACTOR} {{actor_message_type}}` }],
          }),
          timeseries({
            title: 'Message latency',
            description: `Quantiles of a message from send to processed, mailbox wait included (p99: recording rule ${records.actorMessageDurationP99}).`,
            unit: 's',
            queries: [
              { expr: quantile(0.5, 'actor_message_duration_seconds', 'job, actor_type', T), legend: `${ACTOR} p50` },
              { expr: `${records.actorMessageDurationP99}{${T}}`, legend: `${ACTOR} p99` },
            ],
          }),
          timeseries({
            title: 'State transitions',
            description: 'State transitions per second, by the state node left and entered.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (job, actor_type, actor_state_from, actor_state_to) (rate(actor_state_transitions_total{${T}}[$__rate_interval]))`,
                legend: '{{job}} {{actor_state_from}} → {{actor_state_to}}',
              },
            ],
          }),
          timeseries({
            title: 'Mailbox depth',
            description: 'The deepest mailbox per actor type.',
            unit: 'short',
            min: 0,
            queries: [{ expr: `max by (job, actor_type) (actor_mailbox_depth{${T}})`, legend: ACTOR }],
          }),
          table({
            title: 'Actors stopped over the time range',
            description: 'Actors stopped by type, reason and error.type over the dashboard time range.',
            unit: 'short',
            width: 24,
            queries: [{ expr: `sum by (job, actor_type, actor_stop_reason, error_type) (increase(actor_stopped_total{${T}}[$__range]))` }],
          }),
        ],
      },
    ],
  });
}
