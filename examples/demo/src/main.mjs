// The demo: a flaky downstream, a checkout service protected by a circuit breaker, steady
// client traffic, and a terminal summary of what the telemetry shows, every two seconds.
// Run it with `npm run demo` from the repository root. DEMO_SECONDS=N stops it after N
// seconds of the script's time.
import { fileURLToPath } from 'node:url';
import { startDownstream } from './downstream.mjs';
import { startService } from './service.mjs';
import { scrape } from './metrics-text.mjs';
import { renderTick } from './summary.mjs';

const metricsUrl = `http://${process.env.OTEL_EXPORTER_PROMETHEUS_HOST ?? 'localhost'}:${process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464}/metrics`;
const requestsPerSecond = Number(process.env.DEMO_RPS ?? 20);
const stopAfter = process.env.DEMO_SECONDS ? Number(process.env.DEMO_SECONDS) : Infinity;
// DEMO_SPEED=N plays the whole script N times faster: faults, breaker windows, traffic, ticks.
const speed = Number(process.env.DEMO_SPEED ?? 1);

const downstream = await startDownstream({ speed });
const service = await startService({ inventoryUrl: downstream.url, port: Number(process.env.DEMO_PORT ?? 0), speed });
const ports = { checkout: new URL(service.url).port, inventory: new URL(downstream.url).port };
console.log(`checkout service on ${service.url}/checkout, metrics on ${metricsUrl}`);
// DYNTEL_LIVE_PORT turns on the register's live view: the breaker, retry and pool on a page.
if (process.env.DYNTEL_LIVE_PORT) console.log(`live view on http://${process.env.DYNTEL_LIVE_HOST ?? 'localhost'}:${process.env.DYNTEL_LIVE_PORT}/`);
// Where a Prometheus of your own would scrape, and the alert rules that ship with the pack.
const rules = fileURLToPath(import.meta.resolve('@dyntel/monitoring/rules/dyntel.rules.yaml'));
console.log(`Prometheus: scrape ${new URL(metricsUrl).host} (metrics_path /metrics) and load rule_files: ${rules}`);
console.log('downstream phases: healthy 8 s, outage 8 s, recovered 8 s, repeating\n');

let clients = {};
const traffic = setInterval(() => {
  fetch(`${service.url}/checkout`)
    .then((r) => r.status)
    .catch(() => 'error')
    .then((status) => {
      const key = status === 202 ? '202 fallback' : String(status);
      clients[key] = (clients[key] ?? 0) + 1;
    });
}, 1000 / (requestsPerSecond * speed));

// Script seconds between two summaries.
const TICK_SECONDS = 2;
let previous = await scrape(metricsUrl);
let seconds = 0;
const ticker = setInterval(async () => {
  seconds += TICK_SECONDS;
  const samples = await scrape(metricsUrl);
  console.log(renderTick({ seconds, interval: TICK_SECONDS, phase: downstream.phaseNow().name, clients, samples, previous, ports }));
  previous = samples;
  clients = {};
  if (seconds >= stopAfter) stop();
}, (TICK_SECONDS * 1000) / speed);

async function stop() {
  clearInterval(traffic);
  clearInterval(ticker);
  // The pool drains once the calls in flight gave their clients back, which needs the downstream.
  await service.close();
  downstream.close();
  console.log('\ndemo stopped');
}
process.once('SIGINT', stop);
