import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BAD_CONFIG_CASES } from './bad-config-cases';
import { QUIET, startApp } from './support/child';
import { otlpReceiver, waitForSpan } from './support/otlp';
import { freePort, Receiver } from '@dyntel/test-support';
import { useReceiver } from './support/suite';

// The README's bad-configuration table, run for real: the application answers, and what
// @dyntel/register prints from start to exit is exactly the case's lines.
const receiver = useReceiver(otlpReceiver);

describe('node --require @dyntel/register with a bad configuration', () => {
  it.each(BAD_CONFIG_CASES)('$title: the app answers and stderr holds exactly its lines', async ({ env, lines }) => {
    const child = await startApp({ preload: ['--require', '@dyntel/register'], app: 'app.cjs', env: { ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, ...env } });
    expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
    await child.stop('SIGTERM');
    expect(child.stderr.lines).toEqual(lines);
  });
});

describe('what reaches stderr when an export fails', () => {
  it('redacts the credentials of the endpoint and never shows header values', async () => {
    const port = await freePort();
    const child = await startApp({
      preload: ['--require', '@dyntel/register'],
      app: 'app.cjs',
      env: { ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: `http://user:s3cret@127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0ken', OTEL_EXPORTER_OTLP_TIMEOUT: '500' },
    });
    expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
    await child.stderr.waitFor(/failed/);
    await child.stop('SIGTERM');
    expect(child.stderr.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^@dyntel/register: invalid OTEL_EXPORTER_OTLP_ENDPOINT: "http://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}"; expected the URL of a reachable OTLP/HTTP receiver \\(POST "http://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}/v1/traces" failed: "connect ECONNREFUSED[^"]*"\\); traces are dropped until the receiver answers$`),
      ),
    ]);
    expect(child.stderr.toString()).not.toMatch(/s3cret|t0ken/);
  });

  it('keeps the line short when the endpoint is 120 kB long', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}/${'p'.repeat(120_000)}`;
    const child = await startApp({ preload: ['--require', '@dyntel/register'], app: 'app.cjs', env: { ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: '500' } });
    expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
    await child.stderr.waitFor(/failed/);
    await child.stop('SIGTERM');
    expect(child.stderr.lines).toHaveLength(1);
    expect(child.stderr.lines[0]!.length).toBeLessThan(1_000);
  });
});

describe('headers Node would refuse to send', () => {
  it('are dropped at start, named by their variable, and the other headers still go with every export', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const collector = await new Receiver<null>(
      () => null,
      (req, res) => {
        seen.push(req.headers);
        res.end();
      },
    ).start();
    try {
      const child = await startApp({
        preload: ['--require', '@dyntel/register'],
        app: 'app.cjs',
        env: { ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_HEADERS: 'x-ok=1,bad name=2', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-token=abc%0D%0Ainjected: 1' },
      });
      expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
      await collector.waitFor((all) => (all.some((r) => r.path === '/v1/traces') ? true : undefined));
      await child.stop('SIGTERM');
      expect(seen[0]).toMatchObject({ 'x-ok': '1' });
      expect(seen[0]).not.toHaveProperty('x-token');
      expect(child.stderr.lines).toEqual([
        '@dyntel/register: invalid OTEL_EXPORTER_OTLP_HEADERS: "x-ok=***,***"; expected comma-separated name=value pairs, values URL-encoded; ignoring entry 2 (not a valid HTTP header name), the other headers are sent',
        '@dyntel/register: invalid OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-token=***"; expected comma-separated name=value pairs, values URL-encoded; ignoring header x-token (its value holds characters HTTP refuses), the other headers are sent',
      ]);
    } finally {
      await collector.close();
    }
  });
});

it('a certificate path naming a FIFO is refused, and start-up does not wait on it', async () => {
  const fifo = join(mkdtempSync(join(tmpdir(), 'dyntel-fifo-')), 'ca.pem');
  execFileSync('mkfifo', [fifo]);
  const child = await startApp({ preload: ['--require', '@dyntel/register'], app: 'app.cjs', env: { ...QUIET, OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_EXPORTER_OTLP_CERTIFICATE: fifo } });
  expect(await child.get('/work')).toEqual({ status: 200, body: 'ok' });
  await waitForSpan(receiver(), 'dyntel-e2e-work');
  await child.stop('SIGTERM');
  expect(child.stderr.lines).toEqual([
    `@dyntel/register: invalid OTEL_EXPORTER_OTLP_CERTIFICATE: "${fifo}"; expected the path of a readable regular file; using the system's trusted root certificates`,
  ]);
});
