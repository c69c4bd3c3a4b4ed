const assert = require('node:assert/strict');
const { test } = require('node:test');
const CircuitBreaker = require('opossum');
const { CircuitBreakerState } = require('@dyntel/semconv');
const { installRecorder, waitForBreakerState } = require('@dyntel/test-span-assertions');

const recorder = installRecorder();

test('an opossum breaker required from CommonJS reports its state changes', async () => {
  const breaker = new CircuitBreaker(async () => Promise.reject(new Error('payments down')), {
    name: 'payments',
    volumeThreshold: 1,
    errorThresholdPercentage: 1,
  });
  await breaker.fire().catch(() => {});
  const opened = await waitForBreakerState(recorder, 'payments', CircuitBreakerState.OPEN);
  assert.equal(opened.attributes['resilience.circuit_breaker.previous_state'], CircuitBreakerState.CLOSED);
  breaker.shutdown();
});
