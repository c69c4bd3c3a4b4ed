import { retryRecords } from '../families/retry';
import type { RuleParameters } from '../parameters';
import { dashboard, labelVariable, stat, table, timeseries, type Dashboard } from './grafana';
import { quantile } from './promql';

const CALLS = 'resilience_retry_call_duration_seconds';
const ATTEMPTS = 'resilience_retry_attempt_duration_seconds';
const BY = 'job, resilience_retry_name';
const F = 'job=~"$job", resilience_retry_name=~"$retry"';
const NAME = '{{job}} {{resilience_retry_name}}';

/** Retries: logical calls by outcome, exhaustion, retries per call, attempts per call, durations, retries by error. */
export function retriesDashboard(p: RuleParameters): Dashboard {
  const records = retryRecords(p.rateWindow);
  return dashboard({
    uid: 'dyntel-retries',
    title: 'dyntel / Retries',
    description: 'The retried calls of the dyntel telemetry contract (p-retry, cockatiel, exponential-backoff): outcomes, exhaustion, retries per call and durations.',
    variables: [labelVariable('job', 'Job', `${CALLS}_count`, 'job'), labelVariable('retry', 'Retry', `${CALLS}_count{job=~"$job"}`, 'resilience_retry_name')],
    sections: [
      {
        title: 'Outcomes',
        panels: [
          stat({
            title: 'Exhausted calls',
            description: 'Logical calls that failed every allowed attempt, over the time range.',
            unit: 'short',
            redFrom: 1,
            queries: [{ expr: `sum(increase(${CALLS}_count{${F}, resilience_retry_outcome="exhausted"}[$__range]))` }],
          }),
          stat({ title: 'Retries', description: 'Attempts after the first, over the time range.', unit: 'short', queries: [{ expr: `sum(increase(resilience_retry_retries_total{${F}}[$__range]))` }] }),
          stat({ title: 'Logical calls', description: 'Retried calls, waits included, over the time range.', unit: 'short', queries: [{ expr: `sum(increase(${CALLS}_count{${F}}[$__range]))` }] }),
          table({
            title: 'Calls over the time range',
            description: 'Logical calls by outcome and error.type over the dashboard time range.',
            unit: 'short',
            width: 12,
            height: 4,
            queries: [{ expr: `sum by (${BY}, resilience_retry_outcome, error_type) (increase(${CALLS}_count{${F}}[$__range]))` }],
          }),
          timeseries({
            title: 'Calls by outcome',
            description: `Logical calls per second by outcome (recording rule ${records.calls}).`,
            unit: 'ops',
            queries: [{ expr: `sum by (${BY}, resilience_retry_outcome) (${records.calls}{${F}})`, legend: `${NAME} {{resilience_retry_outcome}}` }],
          }),
          timeseries({
            title: 'Exhausted share',
            description: `The share of logical calls that failed every attempt (recording rule ${records.exhaustedRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: `${records.exhaustedRatio}{${F}}`, legend: NAME }],
          }),
        ],
      },
      {
        title: 'Attempts',
        panels: [
          timeseries({
            title: 'Retries per call',
            description: `Retries per logical call: above 1 the retries multiply the load (recording rule ${records.retriesPerCall}).`,
            unit: 'short',
            min: 0,
            queries: [{ expr: `${records.retriesPerCall}{${F}}`, legend: NAME }],
          }),
          timeseries({
            title: 'Attempts per call',
            description: `Quantiles of the attempts one logical call made, the first included (p90: recording rule ${records.attemptsP90}).`,
            unit: 'short',
            min: 0,
            queries: [
              { expr: quantile(0.5, 'resilience_retry_attempts', BY, F), legend: `${NAME} p50` },
              { expr: `${records.attemptsP90}{${F}}`, legend: `${NAME} p90` },
            ],
          }),
          timeseries({
            title: 'Retries by error type',
            description: 'Retries per second by the error that caused them and the backoff strategy.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (${BY}, error_type, resilience_retry_backoff_strategy) (rate(resilience_retry_retries_total{${F}}[$__rate_interval]))`,
                legend: `${NAME} {{error_type}} ({{resilience_retry_backoff_strategy}})`,
              },
            ],
          }),
          timeseries({
            title: 'Failed attempts by error type',
            description: 'Attempts per second that failed, by error.type.',
            unit: 'ops',
            queries: [{ expr: `sum by (${BY}, error_type) (rate(${ATTEMPTS}_count{${F}, error_type!=""}[$__rate_interval]))`, legend: `${NAME} {{error_type}}` }],
          }),
        ],
      },
      {
        title: 'Durations',
        panels: [
          timeseries({
            title: 'Logical call duration',
            description: 'Quantiles of a logical call, waits between attempts included, by outcome.',
            unit: 's',
            queries: [
              { expr: quantile(0.5, CALLS, `${BY}, resilience_retry_outcome`, F), legend: `${NAME} {{resilience_retry_outcome}} p50` },
              { expr: quantile(0.99, CALLS, `${BY}, resilience_retry_outcome`, F), legend: `${NAME} {{resilience_retry_outcome}} p99` },
            ],
          }),
          timeseries({
            title: 'Attempt duration',
            description: 'Quantiles of one attempt.',
            unit: 's',
            queries: [
              { expr: quantile(0.5, ATTEMPTS, BY, F), legend: `${NAME} p50` },
              { expr: quantile(0.99, ATTEMPTS, BY, F), legend: `${NAME} p99` },
            ],
          }),
        ],
      },
    ],
  });
}
