import type { RuleParameters } from '../parameters';
import { ratioOrZero } from '../ratio';
import { runbook, type RuleGroup } from '../rule-group';

const BY = 'job, resilience_retry_name';
const CALLS = 'resilience_retry_call_duration_seconds_count';

/** The names of the retry recording rules over `window` (the dashboards query them too). */
export function retryRecords(window: string) {
  return {
    calls: `dyntel:retry_calls:rate${window}`,
    exhaustedRatio: `dyntel:retry_exhausted:ratio_rate${window}`,
    retriesPerCall: `dyntel:retry_retries_per_call:ratio_rate${window}`,
    attemptsP90: `dyntel:retry_attempts:p90_rate${window}`,
  };
}

/** Retries: calls by outcome, retries per call, attempts by quantile; exhaustion and retry storms. */
export function retryRules(p: RuleParameters): RuleGroup[] {
  const w = p.rateWindow;
  const calls = `sum by (${BY}) (rate(${CALLS}[${w}]))`;
  const exhaustion = ratioOrZero(`sum by (${BY}) (rate(${CALLS}{resilience_retry_outcome="exhausted"}[${w}]))`, calls);
  const retriesPerCall = ratioOrZero(`sum by (${BY}) (rate(resilience_retry_retries_total[${w}]))`, calls);
  const records = retryRecords(w);
  return [
    {
      name: 'dyntel-retry-recording',
      rules: [
        { record: records.calls, expr: `sum by (${BY}, resilience_retry_outcome) (rate(${CALLS}[${w}]))` },
        { record: records.exhaustedRatio, expr: exhaustion },
        { record: records.retriesPerCall, expr: retriesPerCall },
        { record: records.attemptsP90, expr: `histogram_quantile(0.9, sum by (${BY}, le) (rate(resilience_retry_attempts_bucket[${w}])))` },
      ],
    },
    {
      name: 'dyntel-retry-alerts',
      rules: [
        {
          alert: 'DyntelRetryExhausted',
          expr: `${exhaustion} > ${p.retryExhaustionRatio}`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Retries of {{ $labels.resilience_retry_name }} are exhausted',
            description: `{{ $value | humanizePercentage }} of the retried calls {{ $labels.resilience_retry_name }} of {{ $labels.job }} failed every allowed attempt over ${w} (threshold ${p.retryExhaustionRatio}).`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelRetryExhausted'),
          },
        },
        {
          alert: 'DyntelRetryStorm',
          expr: `${retriesPerCall} > ${p.retryStormRetriesPerCall}`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Retry storm on {{ $labels.resilience_retry_name }}',
            description: `Each call {{ $labels.resilience_retry_name }} of {{ $labels.job }} retried {{ $value | printf "%.2f" }} times on average over ${w} (threshold ${p.retryStormRetriesPerCall}): the retries multiply the load on a dependency that is already failing.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelRetryStorm'),
          },
        },
      ],
    },
  ];
}
