import { expect, it } from 'vitest';
import { startApp } from './support/child';
import { otlpReceiver, spanNames, waitForSpan } from './support/otlp';
import { useReceiver } from './support/suite';

const SPAN_KIND_SERVER = 2;

const receiver = useReceiver(otlpReceiver);

const baseEnv = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url,
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
});

it('applies DYNTEL_SAMPLER_RULES: the matching child is dropped, the root is kept with its threshold', async () => {
  const rules = JSON.stringify([
    { dyntel: { name: 'work', span_names: ['dyntel-e2e-work'] }, sampler: { always_off: {} } },
    { span_kinds: ['server'], sampler: { always_on: {} } },
  ]);
  const child = await startApp({ preload: ['--import', '@dyntel/register'], app: 'app.mjs', env: { ...baseEnv(), DYNTEL_SAMPLER_RULES: rules } });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });

  // The server span ends after the work span: once it has arrived, the work span had its chance.
  const server = await waitForSpan(receiver(), 'GET', SPAN_KIND_SERVER);
  expect(server.traceState).toBe('ot=th:0');
  await child.stop('SIGTERM');
  expect(spanNames(receiver())).not.toContain('dyntel-e2e-work');
  expect(child.stderr.lines).toEqual([]);
});

it('reports invalid sampler configuration in one line and falls back to parent-based always-on', async () => {
  const child = await startApp({ preload: ['--require', '@dyntel/register'], app: 'app.cjs', env: { ...baseEnv(), DYNTEL_SAMPLER_PROBABILITY: '7' } });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
  const work = await waitForSpan(receiver(), 'dyntel-e2e-work');
  expect(work.name).toBe('dyntel-e2e-work');
  expect(child.stderr.lines).toEqual([expect.stringMatching(/DYNTEL_SAMPLER_PROBABILITY.*7.*parent-based always-on/)]);
});
