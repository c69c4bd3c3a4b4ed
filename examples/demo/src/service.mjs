// The checkout service: every /checkout asks the inventory through an opossum circuit
// breaker named "inventory", with a cached fallback. Nothing here mentions telemetry: the
// spans and metrics come from `--import @dyntel/register` alone.
import { createServer } from 'node:http';
import CircuitBreaker from 'opossum';

async function fetchStock(inventoryUrl) {
  const response = await fetch(`${inventoryUrl}/stock`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw Object.assign(new Error(`inventory answered ${response.status}`), { code: 'EDOWNSTREAM' });
  return response.json();
}

/**
 * Starts the service; resolves with its URL and a close function. `speed` shortens the
 * breaker's windows along with the demo's fault script.
 */
export function startService({ inventoryUrl, port = 0, speed = 1 }) {
  const breaker = new CircuitBreaker(fetchStock, {
    name: 'inventory',
    timeout: 300,
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
