// The README's PromQL examples against a real Prometheus (Debian's package) scraping this
// package's metrics, exposed by OpenTelemetry's Prometheus exporter, after the seed XState system
// and the seed workflow ran twice, scrapes apart: each query parses, and returns the series it
// promises with real values. The README writes the names @dyntel/register's exporter gives
// (with unit suffixes); OpenTelemetry's exporter alone writes none, so `_seconds` is dropped here.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ATTR_ACTOR_TYPE, ATTR_LIFECYCLE_STATE, EVENT_ACTOR_LIFECYCLE } from '@dyntel/semconv';
import { prometheusAvailable, Receiver, startPrometheus, type PrometheusSample, type PrometheusServer } from '@dyntel/test-support';
import { agentsHarness, type AgentsHarness } from './support/harness';
import { runOrderScenario, type XStateModule } from './support/machines';
import { runSupportWorkflow, SCRIPTED_MODEL, type AgentsCoreModule } from './support/openai';

/** The queries of the README's PromQL block, each with the comment above it. */
function readmeQueries(): [string, string][] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```promql\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const queries: [string, string][] = [];
  let comment = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('#')) comment = line.slice(1).trim();
    else if (line.trim() !== '') queries.push([comment, line.trim()]);
  }
  return queries;
}

// What each example must return: the labels of its series (sorted), and whether a value may be 0.
const EXPECTED: Record<string, { labels: Record<string, string>[]; zero?: boolean }> = {
  'sum by (actor_type) (actor_active)': { labels: ['notifier', 'order', 'payment', 'shipper'].map((t) => ({ actor_type: t })), zero: true },
  'histogram_quantile(0.99, sum by (le, actor_type) (rate(actor_message_duration_seconds_bucket[5m])))': {
    labels: ['order', 'payment', 'shipper'].map((t) => ({ actor_type: t })),
  },
};

let prometheus: PrometheusServer | undefined;
let endpoint: Receiver<null> | undefined;
let harness: AgentsHarness | undefined;

beforeAll(async () => {
  const available = prometheusAvailable();
  if (!available.ok) throw new Error(available.reason);
  harness = agentsHarness();
  const exporter = new PrometheusExporter({ preventServerStart: true });
  harness.instrumentation.setMeterProvider(new MeterProvider({ readers: [exporter] }));
  // Prometheus scrapes a target sequentially and commits a scrape before the next: a request
  // after the one that followed a run proves that run's samples were ingested.
  endpoint = await new Receiver<null>(
    () => null,
    (req, res) => exporter.getMetricsRequestHandler(req, res),
  ).start();
  const x = harness.require<XStateModule>('xstate');
  const sdk = harness.require<AgentsCoreModule>('@openai/agents-core');
  sdk.setTracingDisabled(false);
  const run = async () => {
    const stopped = harness!.waitForEvent(EVENT_ACTOR_LIFECYCLE, { [ATTR_ACTOR_TYPE]: 'order', [ATTR_LIFECYCLE_STATE]: 'stopped' });
    runOrderScenario(x);
    await stopped;
    expect((await runSupportWorkflow(sdk)).finalOutput).toBe('Order 42 has shipped.');
  };
  await run();
  prometheus = await startPrometheus([{ name: 'agents', target: `127.0.0.1:${endpoint.port}` }]);
  const scrapes = (n: number) => endpoint!.waitFor((all) => (all.length >= n ? all.length : undefined));
  // The first scrape, with the first run, is in once the second arrives.
  await scrapes(2);
  // A second run gives every series an increase to take a rate of: the scrape that starts after
  // it is in once the next one arrives.
  await run();
  await scrapes(endpoint.received.length + 2);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await endpoint?.close();
  await harness?.close();
});

/** A README query as it reads on OpenTelemetry's exporter alone: no unit suffix. */
const withoutUnitSuffix = (query: string) => query.replaceAll('_seconds_', '_');

const labelsOf = (samples: PrometheusSample[]) => samples.map((s) => s.metric).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('the README PromQL examples on a real Prometheus', () => {
  it('are the ones the README lists, at least one per promised figure', () => {
    const comments = readmeQueries().map(([comment]) => comment);
    for (const figure of ['Actors alive, by type', 'Message latency p99', 'Agent duration', 'Handoffs per workflow run', 'Tokens per second, by model']) {
      expect(comments.some((c) => c.startsWith(figure)), figure).toBe(true);
    }
  });

  it.each(readmeQueries())('%s: %s', async (_comment, query) => {
    const samples = await prometheus!.query(withoutUnitSuffix(query));
    expect(samples.length, query).toBeGreaterThan(0);
    const expected = EXPECTED[query];
    if (expected !== undefined) expect(labelsOf(samples)).toEqual(expected.labels);
    for (const sample of samples) {
      const value = Number(sample.value[1]);
      expect(Number.isFinite(value), `${query} ${JSON.stringify(sample)}`).toBe(true);
      if (expected?.zero !== true) expect(value, `${query} ${JSON.stringify(sample.metric)}`).toBeGreaterThan(0);
    }
  });

  it('token usage by model and type, agent duration by agent, handoffs by source and target carry the names', async () => {
    const tokens = await prometheus!.query('sum by (gen_ai_request_model, gen_ai_token_type) (rate(gen_ai_client_token_usage_sum[5m]))');
    expect(labelsOf(tokens)).toEqual([
      { gen_ai_request_model: SCRIPTED_MODEL, gen_ai_token_type: 'input' },
      { gen_ai_request_model: SCRIPTED_MODEL, gen_ai_token_type: 'output' },
    ]);
    const agents = await prometheus!.query('histogram_quantile(0.95, sum by (le, gen_ai_agent_name) (rate(gen_ai_invoke_agent_duration_bucket[5m])))');
    expect(labelsOf(agents)).toEqual([{ gen_ai_agent_name: 'Specialist' }, { gen_ai_agent_name: 'Triage' }]);
    const handoffs = await prometheus!.query('sum by (gen_ai_agent_name, gen_ai_transfer_target_name) (rate(agents_transfers_total[5m]))');
    expect(labelsOf(handoffs)).toEqual([{ gen_ai_agent_name: 'Triage', gen_ai_transfer_target_name: 'Specialist' }]);
    // One handoff per run.
    const perRun = await prometheus!.query('sum(rate(agents_transfers_total[5m])) / sum(rate(gen_ai_workflow_duration_count[5m]))');
    expect(Number(perRun[0]?.value[1])).toBeCloseTo(1, 5);
  });
});
