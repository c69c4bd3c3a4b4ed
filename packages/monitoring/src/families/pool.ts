import type { RuleParameters } from '../parameters';
import { runbook, type RuleGroup } from '../rule-group';

const BY = 'job, db_client_connection_pool_name';

/** The names of the pool recording rules over `window` (the dashboards query them too). */
export function poolRecords(window: string) {
  return {
    saturation: 'dyntel:pool_saturation:ratio',
    waitTimeP99: `dyntel:pool_wait_time_seconds:p99_rate${window}`,
    timeouts: `dyntel:pool_timeouts:rate${window}`,
  };
}

/** Pools: saturation and wait time for dashboards; saturated, requests waiting, acquires timing out. */
export function poolRules(p: RuleParameters): RuleGroup[] {
  const w = p.rateWindow;
  const saturation = `sum by (${BY}) (db_client_connection_count{db_client_connection_state="used"}) / sum by (${BY}) (db_client_connection_max)`;
  const records = poolRecords(w);
  return [
    {
      name: 'dyntel-pool-recording',
      rules: [
        { record: records.saturation, expr: saturation },
        { record: records.waitTimeP99, expr: `histogram_quantile(0.99, sum by (${BY}, le) (rate(db_client_connection_wait_time_seconds_bucket[${w}])))` },
        { record: records.timeouts, expr: `sum by (${BY}) (rate(db_client_connection_timeouts_total[${w}]))` },
      ],
    },
    {
      name: 'dyntel-pool-alerts',
      rules: [
        {
          alert: 'DyntelPoolSaturated',
          expr: `${saturation} > ${p.poolSaturationRatio}`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Pool {{ $labels.db_client_connection_pool_name }} is nearly exhausted',
            description: `{{ $value | humanizePercentage }} of the connections the pool {{ $labels.db_client_connection_pool_name }} of {{ $labels.job }} may open are in use (threshold ${p.poolSaturationRatio}).`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelPoolSaturated'),
          },
        },
        {
          alert: 'DyntelPoolRequestsWaiting',
          expr: `sum by (${BY}) (db_client_connection_pending_requests) > 0`,
          for: p.poolPendingFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Requests wait for a connection of pool {{ $labels.db_client_connection_pool_name }}',
            description: `{{ $value }} requests of {{ $labels.job }} have been waiting for a connection of {{ $labels.db_client_connection_pool_name }} for more than ${p.poolPendingFor}.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelPoolRequestsWaiting'),
          },
        },
        {
          alert: 'DyntelPoolAcquireTimeouts',
          expr: `sum by (${BY}) (increase(db_client_connection_timeouts_total[${w}])) > 0`,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Acquires from pool {{ $labels.db_client_connection_pool_name }} time out',
            description: `{{ $value | printf "%.0f" }} requests of {{ $labels.job }} gave up waiting for a connection of {{ $labels.db_client_connection_pool_name }} in ${w}.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelPoolAcquireTimeouts'),
          },
        },
      ],
    },
  ];
}
