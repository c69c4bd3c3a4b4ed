import { expect, it } from 'vitest';
// @ts-expect-error the demo is plain JavaScript without declarations
import { parseExposition } from '../src/metrics-text.mjs';
// @ts-expect-error the demo is plain JavaScript without declarations
import { renderTick } from '../src/summary.mjs';

const breaker = 'resilience_circuit_breaker_name="inventory"';
const retry = (outcome: string) => `resilience_retry_name="inventory",resilience_retry_outcome="${outcome}"`;
const retries = (error: string) => `resilience_retry_name="inventory",resilience_retry_backoff_strategy="exponential",error_type="${error}"`;
const client = (port: number, status: string, value: number) =>
  `http_client_request_duration_seconds_count{${status ? `http_response_status_code="${status}",` : ''}server_port="${port}"} ${value}`;

const previous = parseExposition(
  [
    `resilience_circuit_breaker_status{${breaker},resilience_circuit_breaker_state="closed"} 1`,
    `resilience_circuit_breaker_call_duration_seconds_count{${breaker},resilience_circuit_breaker_outcome="success"} 40`,
    `resilience_retry_call_duration_seconds_count{${retry('success')}} 40`,
    `resilience_retry_attempts_sum{${retry('success')}} 41`,
    `resilience_retry_retries_total{${retries('EDOWNSTREAM')}} 1`,
    client(8080, '200', 40),
    client(9090, '200', 40),
    client(9464, '200', 5),
    `db_client_connection_timeouts_total{db_client_connection_pool_name="generic-pool-1"} 2`,
    `db_client_connection_wait_time_seconds_count{db_client_connection_pool_name="generic-pool-1"} 30`,
  ].join('\n'),
);
const samples = parseExposition(
  [
    `resilience_circuit_breaker_status{${breaker},resilience_circuit_breaker_state="closed"} 0`,
    `resilience_circuit_breaker_status{${breaker},resilience_circuit_breaker_state="open"} 1`,
    `resilience_circuit_breaker_call_duration_seconds_count{${breaker},resilience_circuit_breaker_outcome="success"} 42`,
    `resilience_circuit_breaker_call_duration_seconds_count{${breaker},resilience_circuit_breaker_outcome="failure"} 26`,
    `resilience_circuit_breaker_call_duration_seconds_count{${breaker},resilience_circuit_breaker_outcome="rejected"} 3`,
    `resilience_circuit_breaker_state_changes_total{${breaker},resilience_circuit_breaker_state="open"} 1`,
    `resilience_retry_call_duration_seconds_count{${retry('success')}} 42`,
    `resilience_retry_call_duration_seconds_count{${retry('exhausted')}} 8`,
    `resilience_retry_call_duration_seconds_count{${retry('cancelled')}} 18`,
    `resilience_retry_attempts_sum{${retry('success')}} 45`,
    `resilience_retry_attempts_sum{${retry('exhausted')}} 24`,
    `resilience_retry_attempts_sum{${retry('cancelled')}} 30`,
    `resilience_retry_attempts_count{${retry('exhausted')}} 8`,
    `resilience_retry_retries_total{${retries('EDOWNSTREAM')}} 36`,
    `resilience_retry_retries_total{${retries('DOMException')}} 2`,
    client(8080, '200', 42),
    client(8080, '202', 29),
    client(8080, '', 1),
    client(9090, '200', 42),
    client(9090, '503', 26),
    client(9464, '200', 6),
    `db_client_connection_count{db_client_connection_pool_name="generic-pool-1",db_client_connection_state="idle"} 1`,
    `db_client_connection_count{db_client_connection_pool_name="generic-pool-1",db_client_connection_state="used"} 3`,
    `db_client_connection_pending_requests{db_client_connection_pool_name="generic-pool-1"} 5`,
    `db_client_connection_timeouts_total{db_client_connection_pool_name="generic-pool-1"} 7`,
    `db_client_connection_wait_time_seconds_count{db_client_connection_pool_name="generic-pool-1"} 61`,
  ].join('\n'),
);

it('says what each line measures: the state now, then one measure of the last interval a line, the breaker, the retry inside it, each service apart', () => {
  const tick = renderTick({ seconds: 10, interval: 2, phase: 'outage', clients: { 200: 2, '202 fallback': 29 }, samples, previous, ports: { checkout: 8080, inventory: 9090 } });
  expect(tick.split('\n')).toEqual([
    't= 10s  now: downstream outage, breaker "inventory" OPEN',
    '        pool of inventory clients now: used 3, idle 1, pending 5',
    '        in the last 2 s:',
    '          breaker calls by outcome  success 2, failure 26, rejected 3',
    '          breaker states entered    open 1',
    '          retried calls by outcome  success 2, exhausted 8, cancelled 18',
    '          attempts by call outcome  success 4, exhausted 24, cancelled 30',
    '          retries by error          EDOWNSTREAM 35, DOMException 2',
    '          pool clients borrowed     borrowed 31',
    '          pool waits timed out      timeouts 5',
    '          clients received          200 2, 202 fallback 29',
    '          checkout answered (HTTP)  200 2, 202 29, no answer 1',
    '          inventory answered (HTTP) 200 2, 503 26',
  ]);
});

it('says none where nothing was counted', () => {
  const tick = renderTick({ seconds: 2, interval: 2, phase: 'healthy', clients: {}, samples: previous, previous, ports: { checkout: 8080, inventory: 9090 } });
  expect(tick).toContain('breaker "inventory" CLOSED');
  expect(tick).toContain('breaker states entered    none');
  expect(tick).toContain('retries by error          none');
  expect(tick).toContain('pool waits timed out      none');
  expect(tick).toContain('pool clients borrowed     none');
  expect(tick).toContain('pool of inventory clients now: used 0, idle 0, pending 0');
});
