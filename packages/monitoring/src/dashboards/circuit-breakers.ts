import { circuitBreakerRecords } from '../families/circuit-breaker';
import type { RuleParameters } from '../parameters';
import { dashboard, labelVariable, stat, table, timeseries, type Dashboard } from './grafana';
import { quantile } from './promql';

const STATUS = 'resilience_circuit_breaker_status';
const CALLS = 'resilience_circuit_breaker_call_duration_seconds';
const BY = 'job, resilience_circuit_breaker_name';
const F = 'job=~"$job", resilience_circuit_breaker_name=~"$breaker"';
const NAME = '{{job}} {{resilience_circuit_breaker_name}}';
const NOT_CLOSED = 'resilience_circuit_breaker_state=~"open|half_open|forced_open"';

/** Circuit breakers: state now and over time, state changes, calls by outcome, rejections, latency, failures by error type. */
export function circuitBreakersDashboard(p: RuleParameters): Dashboard {
  const records = circuitBreakerRecords(p.rateWindow);
  return dashboard({
    uid: 'dyntel-circuit-breakers',
    title: 'dyntel / Circuit breakers',
    description: 'The circuit breakers of the dyntel telemetry contract (opossum, cockatiel): state, calls by outcome, rejections and latency.',
    variables: [labelVariable('job', 'Job', STATUS, 'job'), labelVariable('breaker', 'Breaker', `${STATUS}{job=~"$job"}`, 'resilience_circuit_breaker_name')],
    sections: [
      {
        title: 'State',
        panels: [
          stat({
            title: 'Breakers not closed',
            description: 'Breakers open, half open between trial calls, or held open by hand.',
            unit: 'short',
            redFrom: 1,
            queries: [{ expr: `sum(max by (${BY}) (${STATUS}{${F}, ${NOT_CLOSED}}))` }],
          }),
          stat({ title: 'Breakers', description: 'Breakers reporting a state.', unit: 'short', queries: [{ expr: `count(max by (${BY}) (${STATUS}{${F}}))` }] }),
          stat({
            title: 'Openings',
            description: 'State changes into open over the time range.',
            unit: 'short',
            queries: [{ expr: `sum(increase(resilience_circuit_breaker_state_changes_total{${F}, resilience_circuit_breaker_state="open"}[$__range]))` }],
          }),
          table({
            title: 'State now',
            description: 'The state each breaker is in.',
            unit: 'short',
            width: 12,
            height: 4,
            hide: ['Value'],
            queries: [{ expr: `max by (${BY}, resilience_circuit_breaker_state) (${STATUS}{${F}}) == 1` }],
          }),
          timeseries({
            title: 'Not closed',
            description: '1 while a breaker is open, half open or forced open.',
            unit: 'short',
            min: 0,
            max: 1,
            queries: [{ expr: `max by (${BY}) (${STATUS}{${F}, ${NOT_CLOSED}})`, legend: NAME }],
          }),
          timeseries({
            title: 'State changes',
            description: 'State changes per rate interval, by the state left and the state entered.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (${BY}, resilience_circuit_breaker_previous_state, resilience_circuit_breaker_state) (increase(resilience_circuit_breaker_state_changes_total{${F}}[$__rate_interval]))`,
                legend: `${NAME} {{resilience_circuit_breaker_previous_state}} → {{resilience_circuit_breaker_state}}`,
              },
            ],
          }),
        ],
      },
      {
        title: 'Calls',
        panels: [
          timeseries({
            title: 'Calls by outcome',
            description: `Protected calls per second by outcome (recording rule ${records.calls}).`,
            unit: 'ops',
            queries: [{ expr: `sum by (${BY}, resilience_circuit_breaker_outcome) (${records.calls}{${F}})`, legend: `${NAME} {{resilience_circuit_breaker_outcome}}` }],
          }),
          timeseries({
            title: 'Rejected share',
            description: `The share of calls short-circuited: open, isolated or semaphore full (recording rule ${records.rejectedRatio}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: `${records.rejectedRatio}{${F}}`, legend: NAME }],
          }),
          timeseries({
            title: 'Call duration',
            description: `Quantiles of the protected calls' duration, rejected calls included (p99: recording rule ${records.callDurationP99}).`,
            unit: 's',
            queries: [
              { expr: quantile(0.5, CALLS, BY, F), legend: `${NAME} p50` },
              { expr: quantile(0.9, CALLS, BY, F), legend: `${NAME} p90` },
              { expr: `${records.callDurationP99}{${F}}`, legend: `${NAME} p99` },
            ],
          }),
          timeseries({
            title: 'Failed calls by error type',
            description: 'Calls per second that failed, timed out or were rejected, by outcome and error.type.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (${BY}, resilience_circuit_breaker_outcome, error_type) (rate(${CALLS}_count{${F}, error_type!=""}[$__rate_interval]))`,
                legend: `${NAME} {{resilience_circuit_breaker_outcome}} {{error_type}}`,
              },
            ],
          }),
          table({
            title: 'Calls over the time range',
            description: 'Calls by breaker, outcome and error.type over the dashboard time range.',
            unit: 'short',
            width: 24,
            queries: [{ expr: `sum by (${BY}, resilience_circuit_breaker_outcome, error_type) (increase(${CALLS}_count{${F}}[$__range]))` }],
          }),
        ],
      },
    ],
  });
}
