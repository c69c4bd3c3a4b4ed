import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { startApp } from './support/child';
import { otlpReceiver, spansOf, waitForSpan } from './support/otlp';
import { useReceiver } from './support/suite';

// The README's `@dyntel/register/sdk` example is examples/telemetry.mjs, word for word: the
// file is what runs here, and the README may not drift from it.
const EXAMPLE = fileURLToPath(new URL('../examples/telemetry.mjs', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));

const receiver = useReceiver(otlpReceiver);

it('the README shows examples/telemetry.mjs as it is', () => {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  expect(blocks).toContain(readFileSync(EXAMPLE, 'utf8'));
});

it('node --import ./telemetry.mjs app.mjs: on SIGTERM the spans are flushed and the process ends of the signal', async () => {
  const app = await startApp({
    preload: ['--import', EXAMPLE],
    app: 'app.mjs',
    // The NodeSDK reads the standard variables itself; the 5 s batch delay leaves the export to the shutdown.
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: '5000' },
  });
  expect(await app.get('/breaker')).toEqual({ status: 200, body: 'ok' });

  expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
  // The breaker span needs the http server span as its parent (requireParentSpan): both ESM hooks worked.
  const breaker = await waitForSpan(receiver(), 'circuit_breaker.call e2e-downstream');
  expect(breaker).toMatchObject({ serviceName: 'checkout', scope: '@dyntel/instrumentation-circuit-breaker' });
  const spans = receiver().received.flatMap((r) => (r.path === '/v1/traces' ? spansOf(r.body) : []));
  expect(spans.filter((s) => s.traceId === breaker.traceId).map((s) => s.scope)).toContain('@opentelemetry/instrumentation-http');
});
