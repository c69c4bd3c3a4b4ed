import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { expect, test } from 'vitest';
import { nameCircuitBreaker } from '@dyntel/instrumentation-circuit-breaker';
import { CircuitBreakerOutcome, CircuitBreakerState, METRIC_CIRCUIT_BREAKER_CALL_DURATION } from '@dyntel/semconv';
import { installRecorder, waitForBreakerCall, waitForBreakerState } from '@dyntel/test-span-assertions';

const recorder = installRecorder();

test('a cockatiel breaker opens after consecutive failures, then rejects', async () => {
  const stock = nameCircuitBreaker(circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(2) }), 'stock');
  for (let i = 0; i < 2; i++) await stock.execute(() => Promise.reject(new Error('stock down'))).catch(() => {});
  await waitForBreakerState(recorder, 'stock', CircuitBreakerState.OPEN);

  await stock.execute(() => 'unreachable').catch(() => {});
  await expect(recorder).toEmitSpan({ name: 'circuit_breaker.call stock', attributes: { 'resilience.circuit_breaker.outcome': CircuitBreakerOutcome.REJECTED } });
  await recorder.waitForMetric(METRIC_CIRCUIT_BREAKER_CALL_DURATION, { where: { 'resilience.circuit_breaker.name': 'stock' }, atLeast: 3 });
  await waitForBreakerCall(recorder, 'stock', { outcome: CircuitBreakerOutcome.FAILURE });
});
