import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from './support/build';
import { freePort, type Receiver, stopAllChildren } from '@dyntel/test-support';
import { FLAVOURS, prometheusOnly, startApp, type App } from './support/child';
import { prometheusAvailable, scrapeProxy, startPrometheus, type PrometheusServer } from './support/prometheus';

// One real Prometheus (Debian's package) scrapes both flavours of the app, each through a
// proxy that tells the test when Prometheus has come for the metrics.
let prometheus: PrometheusServer | undefined;
const proxies = new Map<string, Receiver<null>>();
const apps = new Map<string, App>();

beforeAll(async () => {
  ensureBuilt();
  const available = prometheusAvailable();
  if (!available.ok) throw new Error(available.reason);
  for (const { flag, app } of FLAVOURS) {
    const metricsPort = await freePort();
    const child = await startApp({
      preload: [flag, '@dyntel/register'],
      app,
      // The Agents SDK turns its tracing off under NODE_ENV=test, which vitest set in this process.
      env: { ...prometheusOnly(metricsPort), NODE_ENV: '' },
    });
    // Two requests before Prometheus starts: every scrape sees the counter at 2.
    await child.get('/work');
    await child.get('/work');
    expect(await child.get('/breaker')).toEqual({ status: 200, body: 'ok' });
    // One retried call: it fails once, then succeeds on its retry.
    expect(await child.get('/retry')).toEqual({ status: 200, body: 'ok' });
    // One resource borrowed from a generic-pool of two and given back.
    expect(await child.get('/pool')).toEqual({ status: 200, body: 'ok' });
    // An XState system run to its final state and an Agents SDK run on a scripted model.
    expect(await child.get('/agents')).toEqual({ status: 200, body: JSON.stringify({ order: { status: 'delivered' }, support: 'Order 42 has shipped.' }) });
    apps.set(flag, child);
    proxies.set(flag, await scrapeProxy(`http://127.0.0.1:${metricsPort}`));
  }
  prometheus = await startPrometheus(FLAVOURS.map(({ flag }) => ({ name: flag.slice(2), target: `127.0.0.1:${proxies.get(flag)!.port}` })));
});

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all([...proxies.values()].map((p) => p.close()));
  await stopAllChildren();
});

it.each(FLAVOURS)('Prometheus scrapes node $flag @dyntel/register and its query API returns the metric', async ({ flag }) => {
  // The second scrape request proves the first one's samples are committed (see scrapeProxy).
  await proxies.get(flag)!.waitFor((scrapes) => (scrapes.length >= 2 ? true : undefined));
  const job = flag.slice(2);

  const result = await prometheus!.query(`dyntel_e2e_requests_total{job="${job}"}`);
  expect(result).toHaveLength(1);
  expect(result[0]!.metric).toMatchObject({ job, route: '/work' });
  expect(result[0]!.value[1]).toBe('2');
  // The circuit breaker instrumentation, loaded by the register entry (opossum is required by
  // the CommonJS app and imported by the ESM one).
  const calls = await prometheus!.query(`resilience_circuit_breaker_call_duration_seconds_count{job="${job}"}`);
  expect(calls.map((r) => [r.metric, r.value[1]])).toEqual([
    [expect.objectContaining({ resilience_circuit_breaker_name: 'e2e-downstream', resilience_circuit_breaker_outcome: 'success' }), '1'],
  ]);
  // The retry instrumentation, loaded by the register entry (async-retry is required by the
  // CommonJS app, p-retry imported by the ESM one): one call, two attempts, one retry.
  const retried = { resilience_retry_name: 'reserveStock', resilience_retry_outcome: 'success' };
  const retryCalls = await prometheus!.query(`resilience_retry_call_duration_seconds_count{job="${job}"}`);
  expect(retryCalls.map((r) => [r.metric, r.value[1]])).toEqual([[expect.objectContaining(retried), '1']]);
  const attempts = await prometheus!.query(`resilience_retry_attempts_sum{job="${job}"}`);
  expect(attempts.map((r) => [r.metric, r.value[1]])).toEqual([[expect.objectContaining(retried), '2']]);
  const retries = await prometheus!.query(`resilience_retry_retries_total{job="${job}"}`);
  expect(retries.map((r) => [r.metric, r.value[1]])).toEqual([[expect.objectContaining({ resilience_retry_name: 'reserveStock', error_type: 'Error' }), '1']]);
  // The pool instrumentation, loaded by the register entry (generic-pool is required by the
  // CommonJS app and imported by the ESM one): the pool's one resource is idle again, none is used.
  const connections = await prometheus!.query(`db_client_connection_count{job="${job}"}`);
  expect(connections.map((r) => [r.metric.db_client_connection_pool_name, r.metric.db_client_connection_state, r.value[1]]).sort()).toEqual([
    ['generic-pool-1', 'idle', '1'],
    ['generic-pool-1', 'used', '0'],
  ]);
  const max = await prometheus!.query(`db_client_connection_max{job="${job}"}`);
  expect(max.map((r) => r.value[1])).toEqual(['2']);
  const waits = await prometheus!.query(`db_client_connection_wait_time_seconds_count{job="${job}"}`);
  expect(waits.map((r) => [r.metric.db_client_connection_pool_name, r.value[1]])).toEqual([['generic-pool-1', '1']]);
  // The agents instrumentation, loaded by the register entry (xstate and @openai/agents are
  // required by the CommonJS app and imported by the ESM one): the order root and the picker it
  // invoked, and one invocation of each agent.
  const spawned = await prometheus!.query(`actor_spawned_total{job="${job}"}`);
  expect(spawned.map((r) => [r.metric.actor_type, r.metric.actor_parent_type, r.value[1]]).sort()).toEqual([
    ['order', undefined, '1'],
    ['picker', 'order', '1'],
  ]);
  const invocations = await prometheus!.query(`gen_ai_invoke_agent_duration_seconds_count{job="${job}"}`);
  expect(invocations.map((r) => [r.metric.gen_ai_agent_name, r.metric.error_type, r.value[1]]).sort()).toEqual([
    ['Specialist', undefined, '1'],
    ['Triage', undefined, '1'],
  ]);
  const up = await prometheus!.query(`up{job="${job}"}`);
  expect(up[0]!.value[1]).toBe('1');
  expect(apps.get(flag)!.stderr.lines).toEqual([]);
});
