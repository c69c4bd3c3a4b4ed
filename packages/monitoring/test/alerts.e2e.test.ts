// The alerts end to end: the demo runs under the register entry (its downstream goes down and
// recovers), a real Prometheus scrapes it and evaluates the shipped rules (with short windows,
// test/monitoring-stack.ts), and a real Alertmanager (Debian's packages, fetched by `npm test`)
// sends what fires and what resolves to a webhook of the test's. Nothing is installed;
// everything listens on 127.0.0.1.
import { alertmanagerAvailable, Receiver, startAlertmanager, type AlertmanagerServer } from '@dyntel/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMonitoringStack, type MonitoringStack } from './monitoring-stack';

/** What Alertmanager's webhook posts: a group of alerts, each firing or resolved. */
interface Notification {
  status: 'firing' | 'resolved';
  alerts: Array<{ status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string> }>;
}

let webhook: Receiver<Notification>;
let alertmanager: AlertmanagerServer | undefined;
let stack: MonitoringStack | undefined;

beforeAll(async () => {
  const available = alertmanagerAvailable();
  if (!available.ok) throw new Error(available.reason);
  webhook = await new Receiver<Notification>((_path, _type, body) => JSON.parse(body.toString('utf8')) as Notification).start();
  alertmanager = await startAlertmanager(`${webhook.url}/alerts`);
  stack = await startMonitoringStack({ alertmanager: alertmanager.address });
});

afterAll(async () => {
  await stack?.stop();
  await alertmanager?.stop();
  await webhook?.close();
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
  expect(stack!.demoLog.lines.some((line) => /breaker "inventory" OPEN$/.test(line))).toBe(true);
}, 60_000);

it('the retry-exhaustion alert fires from the demo: the retries inside the breaker give up during the outage', async () => {
  const firing = await notified('DyntelRetryExhausted', 'firing');
  expect(firing.labels).toMatchObject({ severity: 'warning', job: 'demo', resilience_retry_name: 'inventory' });
}, 60_000);
