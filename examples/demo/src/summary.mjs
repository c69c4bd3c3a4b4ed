// Turns two scrapes of /metrics into a few readable lines: what the breaker did since the
// last tick, in the contract's own words (state, outcome), plus what the clients saw.
import { sumBy } from './metrics-text.mjs';

// Prometheus names of the contract's metrics (dots become underscores, units become suffixes).
const CALLS = 'resilience_circuit_breaker_call_duration_seconds_count';
const STATUS = 'resilience_circuit_breaker_status';
const CHANGES = 'resilience_circuit_breaker_state_changes_total';
const HTTP_SERVER = 'http_server_request_duration_seconds_count';

function delta(now, before) {
  const out = {};
  for (const [key, value] of Object.entries(now)) {
    const d = value - (before[key] ?? 0);
    if (d > 0) out[key] = d;
  }
  return out;
}

const format = (counts) =>
  Object.keys(counts).length === 0 ? '-' : Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');

/** Renders one tick of the summary. */
export function renderTick({ seconds, phase, clients, samples, previous }) {
  const state = Object.entries(sumBy(samples, STATUS, 'resilience_circuit_breaker_state')).find(([, v]) => v === 1)?.[0];
  const outcomes = delta(sumBy(samples, CALLS, 'resilience_circuit_breaker_outcome'), sumBy(previous, CALLS, 'resilience_circuit_breaker_outcome'));
  const changes = delta(sumBy(samples, CHANGES, 'resilience_circuit_breaker_state'), sumBy(previous, CHANGES, 'resilience_circuit_breaker_state'));
  const http = delta(sumBy(samples, HTTP_SERVER, 'http_response_status_code'), sumBy(previous, HTTP_SERVER, 'http_response_status_code'));
  return [
    `t=${String(seconds).padStart(3)}s  downstream: ${phase.padEnd(9)} clients saw: ${format(clients)}`,
    `        breaker "inventory": ${(state ?? 'unknown').toUpperCase().padEnd(9)} calls: ${format(outcomes)}` +
      (Object.keys(changes).length ? `  -> entered ${format(changes)}` : ''),
    `        http requests served (checkout + inventory) by status: ${format(http)}`,
  ].join('\n');
}
