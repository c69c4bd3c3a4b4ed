import type { RuleParameters } from '../parameters';
import { ratioOrZero } from '../ratio';
import { runbook, type RuleGroup } from '../rule-group';

const AGENTS = 'gen_ai_invoke_agent_duration_seconds_count';
const TOOLS = 'gen_ai_execute_tool_duration_seconds_count';

/** The names of the agents and actors recording rules over `window` (the dashboards query them too). */
export function agentRecords(window: string) {
  return {
    invocations: `dyntel:agent_invocations:rate${window}`,
    agentFailureRatio: `dyntel:agent_failures:ratio_rate${window}`,
    toolFailureRatio: `dyntel:tool_failures:ratio_rate${window}`,
    actorMessageDurationP99: `dyntel:actor_message_duration_seconds:p99_rate${window}`,
  };
}

/** Agents and actors: invocation rates and failure ratios; agents and tools failing, actors in error. */
export function agentRules(p: RuleParameters): RuleGroup[] {
  const w = p.rateWindow;
  const agentFailures = ratioOrZero(`sum by (job, gen_ai_agent_name) (rate(${AGENTS}{error_type!=""}[${w}]))`, `sum by (job, gen_ai_agent_name) (rate(${AGENTS}[${w}]))`);
  const toolFailures = ratioOrZero(`sum by (job, gen_ai_tool_name) (rate(${TOOLS}{error_type!=""}[${w}]))`, `sum by (job, gen_ai_tool_name) (rate(${TOOLS}[${w}]))`);
  const records = agentRecords(w);
  return [
    {
      name: 'dyntel-agents-recording',
      rules: [
        { record: records.invocations, expr: `sum by (job, gen_ai_agent_name) (rate(${AGENTS}[${w}]))` },
        { record: records.agentFailureRatio, expr: agentFailures },
        { record: records.toolFailureRatio, expr: toolFailures },
        { record: records.actorMessageDurationP99, expr: `histogram_quantile(0.99, sum by (job, actor_type, le) (rate(actor_message_duration_seconds_bucket[${w}])))` },
      ],
    },
    {
      name: 'dyntel-agents-alerts',
      rules: [
        {
          alert: 'DyntelAgentFailing',
          expr: `${agentFailures} > ${p.agentFailureRatio}`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Agent {{ $labels.gen_ai_agent_name }} fails',
            description: `{{ $value | humanizePercentage }} of the invocations of agent {{ $labels.gen_ai_agent_name }} of {{ $labels.job }} failed over ${w} (threshold ${p.agentFailureRatio}).`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelAgentFailing'),
          },
        },
        {
          alert: 'DyntelToolFailing',
          expr: `${toolFailures} > ${p.toolFailureRatio}`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Tool {{ $labels.gen_ai_tool_name }} fails',
            description: `{{ $value | humanizePercentage }} of the executions of tool {{ $labels.gen_ai_tool_name }} of {{ $labels.job }} failed over ${w} (threshold ${p.toolFailureRatio}).`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelToolFailing'),
          },
        },
        {
          alert: 'DyntelActorsFailing',
          expr: `sum by (job, actor_type) (increase(actor_stopped_total{actor_stop_reason="error"}[${w}])) > 0`,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Actors of type {{ $labels.actor_type }} stop in error',
            description: `{{ $value | printf "%.0f" }} actors of type {{ $labels.actor_type }} of {{ $labels.job }} stopped with an error in ${w}.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelActorsFailing'),
          },
        },
      ],
    },
  ];
}
