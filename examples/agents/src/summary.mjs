// Turns one scrape of /metrics into a few readable lines, each saying what it counts, in the
// contract's own words. The exposition is read with the demo's reader (examples/demo).
import { sumBy } from '../../demo/src/metrics-text.mjs';

const format = (counts) =>
  Object.keys(counts).length === 0 ? 'none' : Object.entries(counts).map(([key, value]) => `${key === '' ? '(none)' : key} ${value}`).join(', ');

/** Sums of `name` grouped by two labels, as `a → b` keys. */
function pairs(samples, name, first, second) {
  const sums = {};
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const key = `${sample.labels[first] ?? ''} → ${sample.labels[second] ?? ''}`;
    sums[key] = (sums[key] ?? 0) + sample.value;
  }
  return sums;
}

/** The summary of a scrape taken after the workload ran. */
export function renderSummary(samples) {
  const rows = (title, lines) => [title, ...lines.map(([what, counts]) => `  ${what.padEnd(30)}${format(counts)}`)];
  return [
    ...rows('order fulfilment (XState), from the telemetry:', [
      ['actors spawned by type', sumBy(samples, 'actor_spawned_total', 'actor_type')],
      ['actors stopped by reason', sumBy(samples, 'actor_stopped_total', 'actor_stop_reason')],
      ['workers failed by error', sumBy(samples, 'actor_stopped_total', 'error_type', { actor_stop_reason: 'error' })],
      ['messages by type', sumBy(samples, 'actor_message_duration_seconds_count', 'actor_message_type')],
      ['messages by sender → target', pairs(samples, 'actor_message_duration_seconds_count', 'actor_source_type', 'actor_type')],
      ['messages dropped by type', sumBy(samples, 'actor_messages_dropped_total', 'actor_message_type')],
      ['coordinations ended', sumBy(samples, 'actor_system_duration_seconds_count', 'actor_type')],
    ]),
    ...rows('support desk (OpenAI Agents SDK, scripted model), from the telemetry:', [
      ['workflow runs', sumBy(samples, 'gen_ai_workflow_duration_seconds_count', 'gen_ai_workflow_name')],
      ['agent invocations', sumBy(samples, 'gen_ai_invoke_agent_duration_seconds_count', 'gen_ai_agent_name')],
      ['handoffs', pairs(samples, 'agents_transfers_total', 'gen_ai_agent_name', 'gen_ai_transfer_target_name')],
      ['tool calls and transfers', sumBy(samples, 'gen_ai_execute_tool_duration_seconds_count', 'gen_ai_tool_name')],
      ['tokens by type', sumBy(samples, 'gen_ai_client_token_usage_sum', 'gen_ai_token_type')],
    ]),
  ].join('\n');
}
