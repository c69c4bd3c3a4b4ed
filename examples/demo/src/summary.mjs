// Turns two scrapes of /metrics into a few readable lines, each saying what it measures: the
// state at the tick on one line, then what happened since the last tick, one measure a line,
// in the contract's own words (state, outcome).
import { sumBy } from './metrics-text.mjs';

// Prometheus names of the contract's metrics (dots become underscores, units become suffixes).
const CALLS = 'resilience_circuit_breaker_call_duration_seconds_count';
const STATUS = 'resilience_circuit_breaker_status';
const CHANGES = 'resilience_circuit_breaker_state_changes_total';
// The retry inside the breaker: its calls (one per breaker call that ran), the attempts they
// made, and the retries by the error that caused them.
const RETRIED_CALLS = 'resilience_retry_call_duration_seconds_count';
const ATTEMPTS = 'resilience_retry_attempts_sum';
const RETRIES = 'resilience_retry_retries_total';
const RETRY_OUTCOME = 'resilience_retry_outcome';
// The pool of inventory clients the breaker's calls borrow from: its connections by state and
// the requests waiting, as the pool reports them at the scrape, and the waits that timed out.
const POOL_CONNECTIONS = 'db_client_connection_count';
const POOL_STATE = 'db_client_connection_state';
const POOL_PENDING = 'db_client_connection_pending_requests';
const POOL_TIMEOUTS = 'db_client_connection_timeouts_total';
const POOL_WAITS = 'db_client_connection_wait_time_seconds_count';
// Both services run in this process, and the server metric does not say which one answered;
// the client metric (undici, from auto-instrumentations-node) names the server's port.
const HTTP_CLIENT = 'http_client_request_duration_seconds_count';
const STATUS_CODE = 'http_response_status_code';

function delta(now, before) {
  const out = {};
  for (const [key, value] of Object.entries(now)) {
    const d = value - (before[key] ?? 0);
    if (d > 0) out[key] = d;
  }
  return out;
}

const format = (counts) =>
  Object.keys(counts).length === 0 ? 'none' : Object.entries(counts).map(([k, v]) => `${k === '' ? 'no answer' : k} ${v}`).join(', ');

/** What `label` of metric `name` counted between the two scrapes, among the samples matching `where`. */
function counted(samples, previous, name, label, where) {
  return delta(sumBy(samples, name, label, where), sumBy(previous, name, label, where));
}

/**
 * Renders one tick of the summary. `clients` are the demo's own counts of what its clients
 * received; `ports` the checkout's and the inventory's ports; `interval` the script seconds since the last tick.
 */
export function renderTick({ seconds, interval, phase, clients, samples, previous, ports }) {
  const state = Object.entries(sumBy(samples, STATUS, 'resilience_circuit_breaker_state')).find(([, v]) => v === 1)?.[0];
  const answered = (port) => format(counted(samples, previous, HTTP_CLIENT, STATUS_CODE, { server_port: String(port) }));
  const connections = sumBy(samples, POOL_CONNECTIONS, POOL_STATE);
  const pending = sumBy(samples, POOL_PENDING, '')[''];
  const pool = `used ${connections.used ?? 0}, idle ${connections.idle ?? 0}, pending ${pending ?? 0}`;
  const timedOut = delta(sumBy(samples, POOL_TIMEOUTS, ''), sumBy(previous, POOL_TIMEOUTS, ''))[''];
  const borrowed = delta(sumBy(samples, POOL_WAITS, ''), sumBy(previous, POOL_WAITS, ''))[''];
  const rows = [
    ['breaker calls by outcome', format(counted(samples, previous, CALLS, 'resilience_circuit_breaker_outcome'))],
    ['breaker states entered', format(counted(samples, previous, CHANGES, 'resilience_circuit_breaker_state'))],
    ['retried calls by outcome', format(counted(samples, previous, RETRIED_CALLS, RETRY_OUTCOME))],
    ['attempts by call outcome', format(counted(samples, previous, ATTEMPTS, RETRY_OUTCOME))],
    ['retries by error', format(counted(samples, previous, RETRIES, 'error_type'))],
    ['pool clients borrowed', borrowed === undefined ? 'none' : `borrowed ${borrowed}`],
    ['pool waits timed out', timedOut === undefined ? 'none' : `timeouts ${timedOut}`],
    ['clients received', format(clients)],
    ['checkout answered (HTTP)', answered(ports.checkout)],
    ['inventory answered (HTTP)', answered(ports.inventory)],
  ];
  return [
    `t=${String(seconds).padStart(3)}s  now: downstream ${phase}, breaker "inventory" ${(state ?? 'unknown').toUpperCase()}`,
    `        pool of inventory clients now: ${pool}`,
    `        in the last ${interval} s:`,
    ...rows.map(([what, counts]) => `          ${what.padEnd(26)}${counts}`),
  ].join('\n');
}
