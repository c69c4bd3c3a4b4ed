// The alerts end to end: the demo runs under the register entry (its downstream goes down and
// recovers), a real Prometheus scrapes it and evaluates the shipped rules (with short windows),
// and a real Alertmanager (Debian's packages, fetched by `npm test`) sends what fires and what
// resolves to a webhook of the test's. Nothing is installed; everything listens on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  alertmanagerAvailable,
  freePort,
  inheritedEnv,
  LineLog,
  prometheusAvailable,
  Receiver,
  startAlertmanager,
  startPrometheus,
  type AlertmanagerServer,
  type PrometheusServer,
} from '@dyntel/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dyntelRulesYaml } from '../src/index';

const DEMO = fileURLToPath(new URL('../../../examples/demo/src/launch.mjs', import.meta.url));

/** What Alertmanager's webhook posts: a group of alerts, each firing or resolved. */
interface Notification {
  status: 'firing' | 'resolved';
  alerts: Array<{ status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string> }>;
}

let dir: string;
let webhook: Receiver<Notification>;
let alertmanager: AlertmanagerServer | undefined;
let prometheus: PrometheusServer | undefined;
let demo: ChildProcess | undefined;
let demoLog: LineLog;

beforeAll(async () => {
  for (const available of [prometheusAvailable(), alertmanagerAvailable()]) if (!available.ok) throw new Error(available.reason);
  dir = mkdtempSync(join(tmpdir(), 'dyntel-alerts-'));
  // The shipped rules with windows a test can wait for: an evaluation a second, a 10 s rate window.
  const rules = join(dir, 'dyntel.rules.yaml');
  writeFileSync(rules, dyntelRulesYaml({ rateWindow: '10s', breakerOpenFor: '1s', alertFor: '1s', poolPendingFor: '1s' }));
  webhook = await new Receiver<Notification>((_path, _type, body) => JSON.parse(body.toString('utf8')) as Notification).start();
  alertmanager = await startAlertmanager(`${webhook.url}/alerts`);
  const metricsPort = await freePort();
  // The fault script twice as fast: healthy, outage, recovered, 4 s each, repeating.
  // In a process group of its own: `npm start`'s launcher passes Ctrl-C on by the group.
  demo = spawn(process.execPath, [DEMO], {
    env: { ...inheritedEnv(/^DEMO_/), DEMO_SPEED: '2', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  demoLog = new LineLog(demo.stdout!);
  await demoLog.waitFor(/^checkout service on /);
  prometheus = await startPrometheus({
    jobs: [{ name: 'demo', target: `127.0.0.1:${metricsPort}` }],
    ruleFiles: [rules],
    evaluationIntervalMillis: 1000,
    alertmanager: alertmanager.address,
  });
});

afterAll(async () => {
  if (demo?.pid !== undefined && demo.exitCode === null) {
    const closed = once(demo, 'close');
    process.kill(-demo.pid, 'SIGINT');
    await closed;
  }
  await prometheus?.stop();
  await alertmanager?.stop();
  await webhook?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The first notification of `alertname` in `status` (for the inventory component when it names one). */
function notified(alertname: string, status: 'firing' | 'resolved') {
  return webhook.waitFor((all) =>
    all
      .flatMap((request) => request.body.alerts)
      .find((alert) => alert.labels.alertname === alertname && alert.status === status),
  );
}

it('the breaker-open alert reaches the receiver through Alertmanager when the downstream goes down, and resolves when it recovers', async () => {
  const firing = await notified('DyntelCircuitBreakerOpen', 'firing');
  expect(firing.labels).toMatchObject({ alertname: 'DyntelCircuitBreakerOpen', severity: 'critical', job: 'demo', resilience_circuit_breaker_name: 'inventory' });
  expect(firing.annotations.summary).toBe('Circuit breaker inventory is not closed');
  expect(firing.annotations.runbook_url).toBe('https://www.npmjs.com/package/@dyntel/monitoring#dyntelcircuitbreakeropen');
  const resolved = await notified('DyntelCircuitBreakerOpen', 'resolved');
  expect(resolved.labels).toMatchObject({ resilience_circuit_breaker_name: 'inventory' });
  // The demo's own summary saw the breaker open, then closed again.
  expect(demoLog.lines.some((line) => /breaker "inventory" OPEN$/.test(line))).toBe(true);
}, 60_000);

it('the retry-exhaustion alert fires from the demo: the retries inside the breaker give up during the outage', async () => {
  const firing = await notified('DyntelRetryExhausted', 'firing');
  expect(firing.labels).toMatchObject({ severity: 'warning', job: 'demo', resilience_retry_name: 'inventory' });
}, 60_000);
