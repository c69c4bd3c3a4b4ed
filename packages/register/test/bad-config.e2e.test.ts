import { describe, expect, it } from 'vitest';
import { FLAVOURS, QUIET, startApp } from './support/child';
import { otlpReceiver, spanNames, waitForSpan } from './support/otlp';
import { freePort, Receiver, takenPort } from '@dyntel/test-support';
import { useReceiver } from './support/suite';

// Each case: the application still answers, and stderr carries exactly one line that names the
// variable, the bad value and what is accepted.
const receiver = useReceiver(otlpReceiver);

interface Case {
  title: string;
  env: () => Promise<Record<string, string>>;
  line: (env: Record<string, string>) => RegExp;
  /** Work that must happen before the problem can show (an export attempt). */
  trigger?: boolean;
  cleanup?: () => Promise<void>;
}

let held: Awaited<ReturnType<typeof takenPort>> | undefined;
const CASES: Case[] = [
  {
    title: 'an unknown exporter name',
    env: async () => ({ ...QUIET, OTEL_TRACES_EXPORTER: 'jaeger' }),
    line: () => /^@dyntel\/register: invalid OTEL_TRACES_EXPORTER: "jaeger"; expected a comma-separated list of otlp, zipkin, console, none; ignoring "jaeger", traces are not exported \(.*use otlp\)$/,
  },
  {
    title: 'a Prometheus port that is taken',
    env: async () => {
      held = await takenPort();
      return { ...QUIET, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(held.port) };
    },
    line: (env) => new RegExp(`^@dyntel/register: invalid OTEL_EXPORTER_PROMETHEUS_PORT: "${env.OTEL_EXPORTER_PROMETHEUS_PORT}"; expected a free TCP port from 1 to 65535 \\(listening failed: "listen EADDRINUSE.*"\\); metrics are not served for Prometheus$`),
    cleanup: async () => held?.release(),
  },
  {
    title: 'a malformed endpoint',
    env: async () => ({ ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }),
    line: () => /^@dyntel\/register: invalid OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318"; expected an absolute http:\/\/ or https:\/\/ URL, e\.g\. http:\/\/localhost:4318; OTLP export of every signal is disabled$/,
  },
  {
    title: 'an unreachable collector',
    // Nothing listens there; a short timeout ends the exporter's retries quickly.
    env: async () => ({ ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`, OTEL_EXPORTER_OTLP_TIMEOUT: '500' }),
    line: (env) => new RegExp(`^@dyntel/register: invalid OTEL_EXPORTER_OTLP_ENDPOINT: "${env.OTEL_EXPORTER_OTLP_ENDPOINT}"; expected the URL of a reachable OTLP/HTTP receiver \\(POST "${env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces" failed: "connect ECONNREFUSED.*"\\); traces are dropped until the receiver answers$`),
    trigger: true,
  },
];

describe.each(FLAVOURS)('node $flag @dyntel/register $app', ({ flag, app }) => {
  it.each(CASES)('keeps serving with $title and says so in one line', async ({ env: makeEnv, line, trigger, cleanup }) => {
    try {
      const env = await makeEnv();
      const child = await startApp({ preload: [flag, '@dyntel/register'], app, env });
      expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
      if (trigger) expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
      const pattern = line(env);
      await child.stderr.waitFor(pattern);

      await child.stop('SIGTERM');
      expect(child.stderr.lines.filter((l) => l.startsWith('@dyntel/register:'))).toHaveLength(1);
      expect(child.stderr.matching(pattern)).toHaveLength(1);
    } finally {
      await cleanup?.();
    }
  });
});

it('says nothing with OTEL_LOG_LEVEL=none', async () => {
  const child = await startApp({ preload: ['--require', '@dyntel/register'], app: 'app.cjs', env: { ...QUIET, OTEL_TRACES_EXPORTER: 'jaeger', OTEL_LOG_LEVEL: 'none' } });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
  await child.stop('SIGTERM');
  expect(child.stderr.lines).toEqual([]);
});

it('loaded by --require and --import: one SDK, one line, and the ESM hooks still come', async () => {
  const child = await startApp({
    preload: ['--require', '@dyntel/register', '--import', '@dyntel/register'],
    app: 'app.mjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' },
  });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
  const span = await waitForSpan(receiver(), 'dyntel-e2e-work');
  // node:http imported by the ESM app is patched: the hooks were added by the second load.
  expect((await waitForSpan(receiver(), 'GET', 2)).traceId).toBe(span.traceId);

  await child.stop('SIGTERM');
  const names = spanNames(receiver());
  expect(names.filter((n) => n === 'dyntel-e2e-work')).toHaveLength(1);
  expect(child.stderr.lines).toEqual([
    '@dyntel/register: loaded again (first by --require, now by --import); what the first load set up is kept and nothing is started twice. ESM import hooks were added for its instrumentations.',
  ]);
});

it('leaves a tracer provider registered before it in place, and says so', async () => {
  const child = await startApp({
    preload: ['--require', './own-provider.cjs', '--require', '@dyntel/register'],
    app: 'app.cjs',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, ...QUIET },
  });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
  await child.stdout.waitFor(/^OWN-SPAN dyntel-e2e-work$/);
  expect(child.stderr.lines).toEqual([
    expect.stringMatching(/^@dyntel\/register: a global tracer provider was already registered before @dyntel\/register loaded; it is kept and no second SDK is started\./),
  ]);
});

it('starts nothing with OTEL_SDK_DISABLED=true, and says so', async () => {
  const child = await startApp({
    preload: ['--import', '@dyntel/register'],
    app: 'app.mjs',
    env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' },
  });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
  // No handler of ours: SIGTERM ends the process at once, and nothing was ever sent.
  expect(await child.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
  expect(receiver().received).toEqual([]);
  expect(child.stderr.lines).toEqual(['@dyntel/register: OTEL_SDK_DISABLED=true: no SDK and no instrumentation were started.']);
});

it('says once that a receiver fails, and once that it is back', async () => {
  // This receiver rejects the first export (400, not retried) and accepts the later ones.
  let answered = 0;
  const flaky = await new Receiver<null>(
    () => null,
    (_req, res) => (answered++ === 0 ? res.writeHead(400).end('not yet') : res.end()),
  ).start();
  try {
    const child = await startApp({
      preload: ['--require', '@dyntel/register'],
      app: 'app.cjs',
      env: { ...QUIET, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${flaky.url}/v1/traces` },
    });
    await child.get('/work');
    await child.stderr.waitFor(/invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ".*"; expected the URL of a reachable OTLP\/HTTP receiver \(POST ".*" failed: "Bad Request"\)/);
    await child.get('/work');
    await child.get('/work');
    await child.stderr.waitFor(/accepts traces again\.$/);
    await child.stop('SIGTERM');
    expect(child.stderr.lines).toEqual([
      `@dyntel/register: invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "${flaky.url}/v1/traces"; expected the URL of a reachable OTLP/HTTP receiver (POST "${flaky.url}/v1/traces" failed: "Bad Request"); traces are dropped until the receiver answers`,
      `@dyntel/register: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="${flaky.url}/v1/traces": the OTLP/HTTP receiver at "${flaky.url}/v1/traces" accepts traces again.`,
    ]);
  } finally {
    await flaky.close();
  }
});
