const { test } = require('node:test');
const { ConsecutiveBreaker, circuitBreaker, handleAll } = require('cockatiel');
const { nameCircuitBreaker } = require('@dyntel/instrumentation-circuit-breaker');
const { CircuitBreakerOutcome } = require('@dyntel/semconv');
const { installRecorder, waitForBreakerCall } = require('@dyntel/test-span-assertions');

const recorder = installRecorder();

test('a cockatiel breaker required from CommonJS reports its failed calls', async () => {
  const ledger = nameCircuitBreaker(circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }), 'ledger');
  await ledger.execute(() => Promise.reject(new Error('ledger down'))).catch(() => {});
  await waitForBreakerCall(recorder, 'ledger', { outcome: CircuitBreakerOutcome.FAILURE });
});
