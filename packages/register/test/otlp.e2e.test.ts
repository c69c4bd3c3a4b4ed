import { runNode } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
import { FIXTURES, FLAVOURS, QUIET, startApp } from './support/child';
import { logEventsOf, metricNamesOf, otlpReceiver, spanNames, waitForSpan } from './support/otlp';
import { useReceiver } from './support/suite';

const SPAN_KIND_SERVER = 2; // OTLP enum: SPAN_KIND_SERVER

const receiver = useReceiver(otlpReceiver);

describe.each(FLAVOURS)('node $flag @dyntel/register $app', ({ flag, app }) => {
  const env = () => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url,
    // Prove the hooks with a library the app imports: node:http, patched by auto-instrumentations-node.
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
    E2E_FLAVOUR: flag,
  });

  it('sends traces as OTLP/HTTP protobuf, decoded with the official definitions', async () => {
    const child = await startApp({ preload: [flag, '@dyntel/register'], app, env: env() });
    expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });

    const span = await waitForSpan(receiver(), 'dyntel-e2e-work');
    // The child runs on the test's own Node (process.execPath): a Node 22 run tests Node 22.
    expect(span).toMatchObject({ serviceName: 'dyntel-e2e', runtimeVersion: process.versions.node, scope: 'dyntel-e2e', attributes: { 'e2e.flavour': flag } });
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    // The http server span: under --import it exists only because the ESM hooks patched node:http.
    const server = await waitForSpan(receiver(), 'GET', SPAN_KIND_SERVER);
    expect(server.traceId).toBe(span.traceId);
    expect(receiver().received.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
  });

  it('flushes metrics and log records on SIGTERM, then dies of SIGTERM as it would have', async () => {
    const child = await startApp({ preload: [flag, '@dyntel/register'], app, env: { ...env(), OTEL_METRIC_EXPORT_INTERVAL: '600000', OTEL_BLRP_SCHEDULE_DELAY: '600000' } });
    await child.get('/work');

    // Neither the 10-minute metric interval nor the log batch delay has elapsed: only the shutdown flush sends them.
    expect(await child.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const metrics = receiver().received.filter((r) => r.path === '/v1/metrics').flatMap((r) => metricNamesOf(r.body));
    expect(metrics).toContain('dyntel.e2e.requests');
    const events = receiver().received.filter((r) => r.path === '/v1/logs').flatMap((r) => logEventsOf(r.body));
    expect(events).toEqual(expect.arrayContaining(['dyntel.e2e.work', 'dyntel.e2e.legacy']));
    expect(child.stderr.lines).toEqual([]);
  });
});

it('sends OTLP/HTTP JSON when OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json', async () => {
  const child = await startApp({
    preload: ['--import', '@dyntel/register'],
    app: 'app.mjs',
    env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver().url}/v1/traces`, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', ...QUIET },
  });
  await child.get('/work');
  const span = await waitForSpan(receiver(), 'dyntel-e2e-work');
  expect(span.serviceName).toBe('dyntel-e2e');
  expect(receiver().received.find((r) => r.path === '/v1/traces')?.contentType).toBe('application/json');
  // Auto-instrumentations are off: no http span came with it.
  expect(spanNames(receiver())).toEqual(['dyntel-e2e-work']);
});

it('flushes before a natural exit (beforeExit) and keeps the exit code', async () => {
  const child = await startApp({
    preload: ['--require', '@dyntel/register'],
    app: 'app.cjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_BSP_SCHEDULE_DELAY: '600000', E2E_EXIT_AFTER_ONE: 'true', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
  });
  await child.get('/work');
  expect(await child.closed).toEqual({ code: 0, signal: null });
  expect(spanNames(receiver())).toContain('dyntel-e2e-work');
});

it('on SIGTERM leaves the ending to an application that handles the signal itself', async () => {
  const child = await startApp({
    preload: ['--import', '@dyntel/register'],
    app: 'app.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_BSP_SCHEDULE_DELAY: '600000', E2E_OWN_SIGTERM: 'true', ...QUIET },
  });
  await child.get('/work');
  // The app's handler closes its server and the process ends normally: no re-raised signal.
  expect(await child.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  expect(child.stdout.lines).toContain('APP SIGTERM');
  expect(spanNames(receiver())).toEqual(['dyntel-e2e-work']);
});

it('re-raises SIGINT too when the application has no handler', async () => {
  const child = await startApp({
    preload: ['--require', '@dyntel/register'],
    app: 'app.cjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_BSP_SCHEDULE_DELAY: '600000', ...QUIET },
  });
  await child.get('/work');
  expect(await child.stop('SIGINT')).toEqual({ code: null, signal: 'SIGINT' });
  expect(spanNames(receiver())).toEqual(['dyntel-e2e-work']);
});

it('--import also instruments a CommonJS application', async () => {
  const child = await startApp({
    preload: ['--import', '@dyntel/register'],
    app: 'app.cjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
  });
  await child.get('/work');
  const span = await waitForSpan(receiver(), 'dyntel-e2e-work');
  expect((await waitForSpan(receiver(), 'GET', SPAN_KIND_SERVER)).traceId).toBe(span.traceId);
  expect(child.stderr.lines).toEqual([]);
});

describe.each(['--require', '--import'])('node %s @dyntel/register, OTEL_EXPORTER_OTLP_COMPRESSION', (flag) => {
  const run = (env: Record<string, string>) =>
    runNode({ nodeArgs: [flag, '@dyntel/register'], script: 'script-ends.cjs', cwd: FIXTURES, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_SERVICE_NAME: 'dyntel-e2e', DYNTEL_AUTO_INSTRUMENTATIONS: 'false', E2E_REPORT_ZLIB: 'true', ...env } });

  it('gzip: traces, metrics and log records arrive gzip-compressed', async () => {
    const { code, stdout, stderr } = await run({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('END');
    expect(spanNames(receiver())).toContain('dyntel-e2e-script');
    const metrics = receiver().received.filter((r) => r.path === '/v1/metrics').flatMap((r) => metricNamesOf(r.body));
    expect(metrics).toContain('dyntel.e2e.requests');
    expect(receiver().received.filter((r) => r.path === '/v1/logs').flatMap((r) => logEventsOf(r.body))).toContain('dyntel.e2e.work');
    expect(receiver().received.map((r) => r.contentEncoding)).toEqual(receiver().received.map(() => 'gzip'));
  });

  it('none (the default): uncompressed, and node:zlib is not loaded for it', async () => {
    const { code, stdout } = await run({});
    expect(code).toBe(0);
    expect(stdout).toContain('APP ZLIB false');
    expect(spanNames(receiver())).toContain('dyntel-e2e-script');
    expect(receiver().received.every((r) => r.contentEncoding === '')).toBe(true);
  });
});
