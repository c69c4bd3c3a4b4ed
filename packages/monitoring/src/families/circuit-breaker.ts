import type { RuleParameters } from '../parameters';
import { ratioOrZero } from '../ratio';
import { runbook, type RuleGroup } from '../rule-group';

const BY = 'job, resilience_circuit_breaker_name';
const CALLS = 'resilience_circuit_breaker_call_duration_seconds';

/** The names of the circuit-breaker recording rules over `window` (the dashboards query them too). */
export function circuitBreakerRecords(window: string) {
  return {
    calls: `dyntel:circuit_breaker_calls:rate${window}`,
    callDurationP99: `dyntel:circuit_breaker_call_duration_seconds:p99_rate${window}`,
    rejectedRatio: `dyntel:circuit_breaker_rejected:ratio_rate${window}`,
  };
}

/** Circuit breakers: call rates and latency for dashboards; open too long, flapping, rejecting. */
export function circuitBreakerRules(p: RuleParameters): RuleGroup[] {
  const records = circuitBreakerRecords(p.rateWindow);
  const rejection = ratioOrZero(
    `sum by (${BY}) (rate(${CALLS}_count{resilience_circuit_breaker_outcome="rejected"}[${p.rateWindow}]))`,
    `sum by (${BY}) (rate(${CALLS}_count[${p.rateWindow}]))`,
  );
  return [
    {
      name: 'dyntel-circuit-breaker-recording',
      rules: [
        { record: records.calls, expr: `sum by (${BY}, resilience_circuit_breaker_outcome) (rate(${CALLS}_count[${p.rateWindow}]))` },
        { record: records.callDurationP99, expr: `histogram_quantile(0.99, sum by (${BY}, le) (rate(${CALLS}_bucket[${p.rateWindow}])))` },
        {
          record: records.rejectedRatio,
          expr: rejection,
        },
      ],
    },
    {
      name: 'dyntel-circuit-breaker-alerts',
      rules: [
        {
          alert: 'DyntelCircuitBreakerOpen',
          // Open, half open between trials, or held open: not closed. Disabled counts as closed.
          expr: `max by (${BY}) (resilience_circuit_breaker_status{resilience_circuit_breaker_state=~"open|half_open|forced_open"}) == 1`,
          for: p.breakerOpenFor,
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Circuit breaker {{ $labels.resilience_circuit_breaker_name }} is not closed',
            description: `The breaker {{ $labels.resilience_circuit_breaker_name }} of {{ $labels.job }} has been open (or half open between trial calls) for more than ${p.breakerOpenFor}: calls through it are rejected or served by its fallback.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelCircuitBreakerOpen'),
          },
        },
        {
          alert: 'DyntelCircuitBreakerFlapping',
          expr: `sum by (${BY}) (increase(resilience_circuit_breaker_state_changes_total{resilience_circuit_breaker_state="open"}[${p.breakerFlappingWindow}])) > ${p.breakerFlappingOpenings}`,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Circuit breaker {{ $labels.resilience_circuit_breaker_name }} is flapping',
            description: `The breaker {{ $labels.resilience_circuit_breaker_name }} of {{ $labels.job }} opened {{ $value | printf "%.0f" }} times in ${p.breakerFlappingWindow} (more than ${p.breakerFlappingOpenings}): its dependency fails intermittently, or its thresholds are too tight.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelCircuitBreakerFlapping'),
          },
        },
        {
          alert: 'DyntelCircuitBreakerRejecting',
          expr: `${rejection} > ${p.breakerRejectionRatio}`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Circuit breaker {{ $labels.resilience_circuit_breaker_name }} rejects most calls',
            description: `{{ $value | humanizePercentage }} of the calls through {{ $labels.resilience_circuit_breaker_name }} of {{ $labels.job }} were rejected over ${p.rateWindow} (threshold ${p.breakerRejectionRatio}).`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelCircuitBreakerRejecting'),
          },
        },
      ],
    },
  ];
}
