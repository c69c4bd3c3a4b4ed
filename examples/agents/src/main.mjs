// The example: an order-fulfilment system on XState and a support desk on the OpenAI Agents
// SDK, offline and deterministic, with no telemetry code, then a summary of what the telemetry
// shows, read from the register's own Prometheus endpoint. Run it with `npm start`; it keeps
// serving the metrics until Ctrl-C (AGENTS_EXAMPLE_ONCE=true ends it after the summary).
import { scrape } from '../../demo/src/metrics-text.mjs';
import { fulfil } from './fulfilment.mjs';
import { renderSummary } from './summary.mjs';
import { askSupport } from './support-desk.mjs';

const metricsUrl = `http://${process.env.OTEL_EXPORTER_PROMETHEUS_HOST ?? 'localhost'}:${process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464}/metrics`;

if (process.env.NODE_ENV === 'test') {
  console.log('NODE_ENV=test: the Agents SDK turns its tracing off, so the support desk will show no telemetry (unset NODE_ENV)');
}

const outcomes = await fulfil([
  { id: 'A-1', card: 'valid' },
  { id: 'A-2', card: 'valid' },
  { id: 'A-3', card: 'declined' },
]);
console.log(`orders: ${Object.entries(outcomes).map(([id, outcome]) => `${id} ${outcome}`).join(', ')}`);
console.log(`support desk: ${await askSupport('A-3', outcomes)}`);
console.log(`\n${renderSummary(await scrape(metricsUrl))}`);
console.log(`\nmetrics on ${metricsUrl}`);

if (process.env.AGENTS_EXAMPLE_ONCE !== 'true') {
  console.log('Ctrl-C stops the example');
  // Nothing else holds the process open: the register's metrics server does not.
  const serving = setInterval(() => {}, 60_000);
  process.once('SIGINT', () => clearInterval(serving));
}
