import { agentRecords } from '../families/agents';
import { circuitBreakerRecords } from '../families/circuit-breaker';
import { poolRecords } from '../families/pool';
import { retryRecords } from '../families/retry';
import type { RuleParameters } from '../parameters';
import { dashboard, labelVariable, stat, table, timeseries, type Dashboard } from './grafana';

const JOB = 'job=~"$job"';
const ALERTS = `ALERTS{alertname=~"Dyntel.*", alertstate="firing", ${JOB}}`;
// Every metric family of the pack: a service that emits any of them is a job to pick.
const PACK_METRICS = '{__name__=~"resilience_.+|db_client_connection_.+|gen_ai_.+|agents_.+|actor_.+|dyntel_.+"}';

/** The overview: one headline per family, the dyntel alerts firing, the pack's own health, and the Node.js runtime beside them. */
export function overviewDashboard(p: RuleParameters): Dashboard {
  const breakers = circuitBreakerRecords(p.rateWindow);
  const retries = retryRecords(p.rateWindow);
  const pools = poolRecords(p.rateWindow);
  const agents = agentRecords(p.rateWindow);
  return dashboard({
    uid: 'dyntel-overview',
    title: 'dyntel / Overview',
    description: 'Breakers, retries, pools, agents and actors at a glance, the dyntel alerts firing, the pack\'s own health, and the Node.js runtime of the same services.',
    variables: [labelVariable('job', 'Job', PACK_METRICS, 'job')],
    sections: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Breakers not closed',
            description: 'Circuit breakers open, half open between trial calls, or held open by hand.',
            unit: 'short',
            redFrom: 1,
            queries: [{ expr: `sum(max by (job, resilience_circuit_breaker_name) (resilience_circuit_breaker_status{${JOB}, resilience_circuit_breaker_state=~"open|half_open|forced_open"}))` }],
          }),
          stat({
            title: 'Dyntel alerts firing',
            description: 'Alerts of the dyntel rules firing now (Prometheus ALERTS).',
            unit: 'short',
            redFrom: 1,
            queries: [{ expr: `count(${ALERTS}) or vector(0)` }],
          }),
          stat({
            title: 'Instrumentation faults',
            description: 'Faults the pack caught in its own code over the time range (a throwing hook, a broken provider): the application is unaffected, some telemetry is missing.',
            unit: 'short',
            redFrom: 1,
            queries: [{ expr: `sum(increase(dyntel_instrumentation_errors_total{${JOB}}[$__range])) or vector(0)` }],
          }),
          table({
            title: 'Alerts firing',
            description: 'The dyntel alerts firing now, with what they are about; each alert has a runbook in the @dyntel/monitoring README.',
            unit: 'short',
            height: 4,
            hide: ['Value'],
            queries: [{ expr: `max by (alertname, severity, job, resilience_circuit_breaker_name, resilience_retry_name, db_client_connection_pool_name, gen_ai_agent_name, gen_ai_tool_name, actor_type) (${ALERTS})` }],
          }),
        ],
      },
      {
        title: 'Resilience and agents',
        panels: [
          timeseries({
            title: 'Breaker rejection ratio',
            description: `The share of calls each breaker rejects (recording rule ${breakers.rejectedRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 8,
            queries: [{ expr: `${breakers.rejectedRatio}{${JOB}}`, legend: '{{job}} {{resilience_circuit_breaker_name}}' }],
          }),
          timeseries({
            title: 'Retry exhaustion ratio',
            description: `The share of retried calls that fail every attempt (recording rule ${retries.exhaustedRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 8,
            queries: [{ expr: `${retries.exhaustedRatio}{${JOB}}`, legend: '{{job}} {{resilience_retry_name}}' }],
          }),
          timeseries({
            title: 'Pool saturation',
            description: `Connections used / the pool's maximum (recording rule ${pools.saturation}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 8,
            queries: [{ expr: `${pools.saturation}{${JOB}}`, legend: '{{job}} {{db_client_connection_pool_name}}' }],
          }),
          timeseries({
            title: 'Agent failure ratio',
            description: `The share of each agent's invocations that fail (recording rule ${agents.agentFailureRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 8,
            queries: [{ expr: `${agents.agentFailureRatio}{${JOB}}`, legend: '{{job}} {{gen_ai_agent_name}}' }],
          }),
          timeseries({
            title: 'Actors failing',
            description: 'Actors stopping with an error, per second, by type.',
            unit: 'ops',
            width: 8,
            queries: [{ expr: `sum by (job, actor_type) (rate(actor_stopped_total{${JOB}, actor_stop_reason="error"}[$__rate_interval]))`, legend: '{{job}} {{actor_type}}' }],
          }),
        ],
      },
      {
        title: 'Node.js runtime',
        panels: [
          timeseries({
            title: 'Event loop delay p99',
            description: 'The 99th percentile of the event loop delay (@opentelemetry/instrumentation-runtime-node).',
            unit: 's',
            width: 6,
            queries: [{ expr: `max by (job, instance) (nodejs_eventloop_delay_p99_seconds{${JOB}})`, legend: '{{job}} {{instance}}' }],
          }),
          timeseries({
            title: 'Event loop utilisation',
            description: 'The share of time the event loop was busy.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 6,
            queries: [{ expr: `max by (job, instance) (nodejs_eventloop_utilization_ratio{${JOB}})`, legend: '{{job}} {{instance}}' }],
          }),
          timeseries({
            title: 'Heap used',
            description: 'V8 heap used, all spaces.',
            unit: 'bytes',
            min: 0,
            width: 6,
            queries: [{ expr: `sum by (job, instance) (v8js_memory_heap_used_bytes{${JOB}})`, legend: '{{job}} {{instance}}' }],
          }),
          timeseries({
            title: 'Time in GC',
            description: 'The share of wall time spent in garbage collection, by GC type.',
            unit: 'percentunit',
            min: 0,
            width: 6,
            queries: [{ expr: `sum by (job, instance, v8js_gc_type) (rate(v8js_gc_duration_seconds_sum{${JOB}}[$__rate_interval]))`, legend: '{{job}} {{instance}} {{v8js_gc_type}}' }],
          }),
        ],
      },
    ],
  });
}
