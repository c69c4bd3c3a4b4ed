import CircuitBreaker from 'opossum';
import { expect, test } from 'vitest';
import { CircuitBreakerOutcome, CircuitBreakerState, METRIC_CIRCUIT_BREAKER_CALL_DURATION, METRIC_CIRCUIT_BREAKER_STATUS } from '@dyntel/semconv';
import { installRecorder, waitForBreakerCall, waitForBreakerState } from '@dyntel/test-span-assertions';

const recorder = installRecorder(); // the one the setup installed

test('an opossum breaker opens after a failure, then rejects', async () => {
  const breaker = new CircuitBreaker(async () => Promise.reject(new Error('inventory down')), {
    name: 'inventory',
    volumeThreshold: 1,
    errorThresholdPercentage: 1,
  });
  await breaker.fire().catch(() => {});
  await waitForBreakerState(recorder, 'inventory', CircuitBreakerState.OPEN);

  await breaker.fire().catch(() => {});
  const rejected = await waitForBreakerCall(recorder, 'inventory', { outcome: CircuitBreakerOutcome.REJECTED });
  expect(rejected).toMatchSpan({ status: 'error', attributes: { 'error.type': 'EOPENBREAKER' } });
  await recorder.waitForMetric(METRIC_CIRCUIT_BREAKER_CALL_DURATION, { atLeast: 2 });
  await recorder.waitForMetric(METRIC_CIRCUIT_BREAKER_STATUS, { where: { 'resilience.circuit_breaker.state': 'open' }, atLeast: 1 });
  breaker.shutdown();
});
