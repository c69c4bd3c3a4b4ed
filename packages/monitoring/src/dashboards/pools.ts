import { poolRecords } from '../families/pool';
import type { RuleParameters } from '../parameters';
import { dashboard, labelVariable, stat, table, timeseries, type Dashboard } from './grafana';
import { lifetimeQuantile, quantile } from './promql';

const BY = 'job, db_client_connection_pool_name';
const F = 'job=~"$job", db_client_connection_pool_name=~"$pool"';
const NAME = '{{job}} {{db_client_connection_pool_name}}';
const CREATE = 'db_client_connection_create_time_seconds';

/** Pools: saturation, connections by state against the limits, waiting requests, wait/use/create times, timeouts, errors. */
export function poolsDashboard(p: RuleParameters): Dashboard {
  const records = poolRecords(p.rateWindow);
  return dashboard({
    uid: 'dyntel-pools',
    title: 'dyntel / Pools',
    description: "The resource pools of the dyntel telemetry contract (generic-pool, tarn, knex), in OpenTelemetry's db.client.connection metrics: saturation, waiting, timeouts and errors.",
    variables: [labelVariable('job', 'Job', 'db_client_connection_max', 'job'), labelVariable('pool', 'Pool', 'db_client_connection_max{job=~"$job"}', 'db_client_connection_pool_name')],
    sections: [
      {
        title: 'Saturation',
        panels: [
          stat({
            title: 'Requests waiting',
            description: 'Requests waiting for a connection now.',
            unit: 'short',
            redFrom: 1,
            queries: [{ expr: `sum(db_client_connection_pending_requests{${F}})` }],
          }),
          stat({ title: 'Connections used', description: 'Connections lent out now.', unit: 'short', queries: [{ expr: `sum(db_client_connection_count{${F}, db_client_connection_state="used"})` }] }),
          stat({ title: 'Acquire timeouts', description: 'Acquires that timed out over the time range.', unit: 'short', redFrom: 1, queries: [{ expr: `sum(increase(db_client_connection_timeouts_total{${F}}[$__range]))` }] }),
          stat({ title: 'Most saturated', description: `The highest used / maximum of the pools (recording rule ${records.saturation}).`, unit: 'percentunit', redFrom: p.poolSaturationRatio, queries: [{ expr: `max(${records.saturation}{${F}})` }] }),
          stat({ title: 'Pools', description: 'Pools reporting a maximum.', unit: 'short', queries: [{ expr: `count(db_client_connection_max{${F}})` }] }),
          stat({ title: 'Pool errors', description: 'Failed pool operations over the time range.', unit: 'short', redFrom: 1, queries: [{ expr: `sum(increase(resilience_pool_errors_total{${F}}[$__range]))` }] }),
          timeseries({
            title: 'Saturation',
            description: `Connections used / the most the pool may open (recording rule ${records.saturation}).`,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: `${records.saturation}{${F}}`, legend: NAME }],
          }),
          timeseries({
            title: 'Connections',
            description: 'Connections by state, against the maximum and the idle limits.',
            unit: 'short',
            min: 0,
            queries: [
              { expr: `sum by (${BY}, db_client_connection_state) (db_client_connection_count{${F}})`, legend: `${NAME} {{db_client_connection_state}}` },
              { expr: `sum by (${BY}) (db_client_connection_max{${F}})`, legend: `${NAME} max` },
              { expr: `sum by (${BY}) (db_client_connection_idle_max{${F}})`, legend: `${NAME} idle max` },
              { expr: `sum by (${BY}) (db_client_connection_idle_min{${F}})`, legend: `${NAME} idle min` },
            ],
          }),
          timeseries({
            title: 'Requests waiting',
            description: 'Requests waiting for a connection.',
            unit: 'short',
            min: 0,
            queries: [{ expr: `sum by (${BY}) (db_client_connection_pending_requests{${F}})`, legend: NAME }],
          }),
          timeseries({
            title: 'Acquire timeouts',
            description: `Acquires timing out per second (recording rule ${records.timeouts}).`,
            unit: 'ops',
            queries: [{ expr: `${records.timeouts}{${F}}`, legend: NAME }],
          }),
        ],
      },
      {
        title: 'Times and errors',
        panels: [
          timeseries({
            title: 'Wait time',
            description: `Quantiles of the wait for a connection (p99: recording rule ${records.waitTimeP99}).`,
            unit: 's',
            queries: [
              { expr: quantile(0.5, 'db_client_connection_wait_time_seconds', BY, F), legend: `${NAME} p50` },
              { expr: `${records.waitTimeP99}{${F}}`, legend: `${NAME} p99` },
            ],
          }),
          timeseries({
            title: 'Use time',
            description: 'Quantiles of how long a connection is held.',
            unit: 's',
            queries: [
              { expr: quantile(0.5, 'db_client_connection_use_time_seconds', BY, F), legend: `${NAME} p50` },
              { expr: quantile(0.99, 'db_client_connection_use_time_seconds', BY, F), legend: `${NAME} p99` },
            ],
          }),
          timeseries({
            title: 'Errors by operation and type',
            description: 'Failed pool operations per second, by operation (acquire, create, destroy, validate) and error.type.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (${BY}, resilience_pool_operation, error_type) (rate(resilience_pool_errors_total{${F}}[$__rate_interval]))`,
                legend: `${NAME} {{resilience_pool_operation}} {{error_type}}`,
              },
            ],
          }),
          table({
            title: 'Connection create time',
            description: 'Opening a connection, over the life of each process: pools open most of their connections at start, so a rate window is mostly empty.',
            unit: 's',
            queries: [
              { expr: lifetimeQuantile(0.5, CREATE, BY, F), legend: 'p50' },
              { expr: lifetimeQuantile(0.99, CREATE, BY, F), legend: 'p99' },
              { expr: `sum by (${BY}) (${CREATE}_sum{${F}}) / sum by (${BY}) (${CREATE}_count{${F}})`, legend: 'mean' },
              { expr: `sum by (${BY}) (${CREATE}_count{${F}})`, legend: 'opened' },
            ],
          }),
        ],
      },
    ],
  });
}
