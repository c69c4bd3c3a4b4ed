// The checkout service: every /checkout asks the inventory through an opossum circuit
// breaker named "inventory", with a cached fallback; inside the breaker, p-retry retries the
// flaky inventory, so one breaker call is one retried call. Nothing here mentions telemetry:
// the spans and metrics come from `--import @dyntel/register` alone.
import { createServer } from 'node:http';
import CircuitBreaker from 'opossum';
import pRetry from 'p-retry';

// The breaker gives up on a call after this long; the call's retries and its request stop then too.
const CALL_TIMEOUT_MS = 300;

async function fetchStock(inventoryUrl, signal) {
  const response = await fetch(`${inventoryUrl}/stock`, { signal });
  if (!response.ok) throw Object.assign(new Error(`inventory answered ${response.status}`), { code: 'EDOWNSTREAM' });
  return response.json();
}

/**
 * One call of the breaker: up to three attempts, 50 ms then 100 ms apart, all within the
 * breaker's timeout. The retried function's name, `inventory`, names the retry.
 */
function retriedStock(inventoryUrl) {
  const signal = AbortSignal.timeout(CALL_TIMEOUT_MS);
  return pRetry(function inventory() {
    return fetchStock(inventoryUrl, signal);
  }, { retries: 2, minTimeout: 50, factor: 2, randomize: false, signal });
}

/**
 * Starts the service; resolves with its URL and a close function. `speed` shortens the
 * breaker's windows along with the demo's fault script.
 */
export function startService({ inventoryUrl, port = 0, speed = 1 }) {
  const breaker = new CircuitBreaker(retriedStock, {
    name: 'inventory',
    timeout: CALL_TIMEOUT_MS,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeout: 2000 / speed,
    rollingCountTimeout: 4000 / speed,
  });
  breaker.fallback(() => ({ stock: null, cached: true }));

  const server = createServer(async (req, res) => {
    if (req.url !== '/checkout') return res.writeHead(404).end();
    try {
      const stock = await breaker.fire(inventoryUrl);
      res.writeHead(stock.cached ? 202 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(stock));
    } catch (error) {
      res.writeHead(502).end(String(error.message));
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        breaker,
        close: () => {
          breaker.shutdown();
          server.close();
        },
      });
    });
  });
}
