// A downstream "inventory" service whose health follows a script of phases, so the demo shows
// a breaker tripping, probing and recovering without any external service.
import { createServer } from 'node:http';

/** The fault script: each phase lasts `seconds`, then the next one starts (looping). */
export const PHASES = [
  { name: 'healthy', seconds: 8, errorRate: 0.02, slowRate: 0 },
  { name: 'outage', seconds: 8, errorRate: 0.7, slowRate: 0.2 },
  { name: 'recovered', seconds: 8, errorRate: 0.02, slowRate: 0 },
];

/**
 * Starts the downstream on 127.0.0.1 with an ephemeral port; resolves once it listens.
 * `speed` runs the phase script faster (the end-to-end test uses it).
 */
export function startDownstream({ slowMs = 1000, random = Math.random, speed = 1 } = {}) {
  const startedAt = Date.now();
  const phaseNow = () => {
    const cycle = PHASES.reduce((sum, p) => sum + p.seconds, 0);
    let t = (((Date.now() - startedAt) * speed) / 1000) % cycle;
    for (const phase of PHASES) {
      if (t < phase.seconds) return phase;
      t -= phase.seconds;
    }
    return PHASES[0];
  };
  const server = createServer((req, res) => {
    const phase = phaseNow();
    const roll = random();
    if (roll < phase.slowRate) {
      const timer = setTimeout(() => res.end('{"stock":3}'), slowMs);
      res.on('close', () => clearTimeout(timer));
    } else if (roll < phase.slowRate + phase.errorRate) {
      res.writeHead(503).end('{"error":"inventory unavailable"}');
    } else {
      res.end('{"stock":3}');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, phaseNow, close: () => server.close() });
    });
  });
}
