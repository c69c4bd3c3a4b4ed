import { afterEach, beforeAll, expect, it } from 'vitest';
import { freePort, stopAllChildren } from '@dyntel/test-support';
import { ensureBuilt } from './support/build';
import { FIXTURES, FLAVOURS, prometheusOnly, startApp } from './support/child';
import { npmCli } from './support/npm';

// NODE_OPTIONS reaches npm's own process before the application's: only the application may
// start the SDK, or npm takes the Prometheus port and the application gets EADDRINUSE.
const PROJECT = `${FIXTURES}npm-start`;

beforeAll(() => ensureBuilt());
afterEach(() => stopAllChildren());

it.each(FLAVOURS)('NODE_OPTIONS="$flag @dyntel/register" npm start: the application serves and exports its metrics, npm starts nothing', async ({ flag, app }) => {
  const metricsPort = await freePort();
  const npm = await startApp({
    preload: [],
    app: npmCli(),
    args: ['start'],
    cwd: PROJECT,
    env: {
      NODE_OPTIONS: `${flag} @dyntel/register`,
      E2E_APP: app,
      npm_config_update_notifier: 'false',
      OTEL_LOG_LEVEL: 'debug',
      ...prometheusOnly(metricsPort),
    },
  });
  try {
    expect(await npm.get('/work')).toEqual({ status: 200, body: 'ok' });
    // Only the application counts /work: the scrape endpoint belongs to its process.
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/^dyntel_e2e_requests_total\{route="\/work"[^}]*\} 1$/m);
  } finally {
    // npm hands SIGTERM on to the application, which flushes and ends; then npm ends.
    await npm.stop('SIGTERM');
  }
  const lines = npm.stderr.lines.filter((line) => line.startsWith('@dyntel/register:'));
  expect(lines.filter((line) => /^@dyntel\/register: started /.test(line))).toHaveLength(1);
  expect(lines.filter((line) => line.includes('not started'))).toEqual([
    expect.stringMatching(/^@dyntel\/register: not started in npm \(".*npm-cli\.js"\): /),
  ]);
  expect(npm.stderr.lines.join('\n')).not.toContain('EADDRINUSE');
});
