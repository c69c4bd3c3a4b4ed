// The bench's application, run under --require @dyntel/register: one opossum breaker. It first
// times CALLS breaker calls in a row (the per-call cost, live view on or off), prints
// `PER_CALL <ns>`, then fires the breaker RATE times a second until SIGTERM, as a service would.
const CircuitBreaker = require('opossum');

const CALLS = Number(process.env.LIVE_BENCH_CALLS ?? 200_000);
const RATE = Number(process.env.LIVE_BENCH_RATE ?? 200);
const breaker = new CircuitBreaker(async () => 'ok', { name: 'bench' });

async function perCall() {
  // Warm-up, then the measured run.
  for (let i = 0; i < CALLS / 10; i++) await breaker.fire();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await breaker.fire();
  return Number(process.hrtime.bigint() - start) / CALLS;
}

void perCall().then((ns) => {
  console.log(`PER_CALL ${ns.toFixed(0)}`);
  const traffic = setInterval(() => void breaker.fire(), 1000 / RATE);
  process.once('SIGTERM', () => {
    clearInterval(traffic);
    breaker.shutdown();
  });
  console.log('READY');
});
