import { test } from 'node:test';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { nameCircuitBreaker } from '@dyntel/instrumentation-circuit-breaker';
import { CircuitBreakerOutcome, CircuitBreakerState } from '@dyntel/semconv';
import { installRecorder, waitForBreakerCall, waitForBreakerState } from '@dyntel/test-span-assertions';

const recorder = installRecorder();

test('a cockatiel breaker opens after consecutive failures, then rejects', async () => {
  const stock = nameCircuitBreaker(circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(2) }), 'stock');
  for (let i = 0; i < 2; i++) await stock.execute(() => Promise.reject(new Error('stock down'))).catch(() => {});
  await waitForBreakerState(recorder, 'stock', CircuitBreakerState.OPEN);
  await stock.execute(() => 'unreachable').catch(() => {});
  await waitForBreakerCall(recorder, 'stock', { outcome: CircuitBreakerOutcome.REJECTED });
});
