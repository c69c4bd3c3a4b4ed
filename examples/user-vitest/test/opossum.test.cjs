// A CommonJS test file: `test` and `expect` are vitest's globals (vitest.config sets `globals`).
/* global test, expect */
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
  expect(opened.attributes['resilience.circuit_breaker.previous_state']).toBe(CircuitBreakerState.CLOSED);
  breaker.shutdown();
});
