import assert from 'node:assert/strict';
import { test } from 'node:test';
import CircuitBreaker from 'opossum';
import { CircuitBreakerOutcome, CircuitBreakerState, METRIC_CIRCUIT_BREAKER_CALL_DURATION } from '@dyntel/semconv';
import { assertSpan, installRecorder, waitForBreakerCall, waitForBreakerState } from '@dyntel/test-span-assertions';

const recorder = installRecorder(); // the one `--import @dyntel/register/testing` installed

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
  assertSpan(rejected, { status: 'error', attributes: { 'error.type': 'EOPENBREAKER' } });
  const durations = await recorder.waitForMetric(METRIC_CIRCUIT_BREAKER_CALL_DURATION, { atLeast: 2 });
  assert.equal(durations.value, 2);
  breaker.shutdown();
});
