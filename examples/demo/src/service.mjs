// The checkout service: every /checkout asks the inventory through an opossum circuit
// breaker named "inventory", with a cached fallback; inside the breaker, the call borrows one
// of a small pool of inventory clients (generic-pool), and p-retry retries the flaky inventory
// with it, so one breaker call is one retried call. Nothing here mentions telemetry: the spans
// and metrics come from `--import @dyntel/register` alone.
import { createServer } from 'node:http';
import genericPool from 'generic-pool';
import CircuitBreaker from 'opossum';
import pRetry from 'p-retry';

// The breaker gives up on a call after this long; the call's retries and its request stop then too.
const CALL_TIMEOUT_MS = 300;
// At most this many inventory requests at once; a call waits this long for a client, then fails.
const CLIENTS = 4;
const CLIENT_WAIT_MS = 100;

/** A client of the inventory: the pool bounds how many requests the service has in flight. */
class InventoryClient {
  constructor(url) {
    this.url = url;
  }

  stock(signal) {
    return fetchStock(this.url, signal);
  }
}

async function fetchStock(inventoryUrl, signal) {
  const response = await fetch(`${inventoryUrl}/stock`, { signal });
  if (!response.ok) throw Object.assign(new Error(`inventory answered ${response.status}`), { code: 'EDOWNSTREAM' });
  return response.json();
}

/**
 * One call of the breaker: a client from the pool, then up to three attempts with it, 50 ms
 * then 100 ms apart, all within the breaker's timeout. The retried function's name,
 * `inventory`, names the retry.
 */
async function retriedStock(clients) {
  const signal = AbortSignal.timeout(CALL_TIMEOUT_MS);
  const client = await clients.acquire();
  try {
    return await pRetry(function inventory() {
      return client.stock(signal);
    }, { retries: 2, minTimeout: 50, factor: 2, randomize: false, signal });
  } finally {
    await clients.release(client);
  }
}

/**
 * Starts the service; resolves with its URL and a close function. `speed` shortens the
 * breaker's windows along with the demo's fault script.
 */
export function startService({ inventoryUrl, port = 0, speed = 1 }) {
  const clients = genericPool.createPool(
    { create: async () => new InventoryClient(inventoryUrl), destroy: async () => {} },
    { max: CLIENTS, min: 1, acquireTimeoutMillis: CLIENT_WAIT_MS },
  );
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
      const stock = await breaker.fire(clients);
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
        close: async () => {
          breaker.shutdown();
          server.close();
          await clients.drain();
          await clients.clear();
        },
      });
    });
  });
}
