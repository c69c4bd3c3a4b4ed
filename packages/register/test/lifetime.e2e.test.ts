import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { freePort, startNode, type NodeChild } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
import { FIXTURES, prometheusOnly, startApp } from './support/child';
import { otlpReceiver, spanNames, type OtlpBody } from './support/otlp';
import { useReceiver } from './support/suite';

const receiver = useReceiver<OtlpBody>(otlpReceiver);

const NOTHING_EXPORTED = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
const FLAGS = [
  { flag: '--require', unrefTimer: 'unref-timer.cjs' },
  { flag: '--import', unrefTimer: 'unref-timer.mjs' },
] as const;
// Room for a loaded machine between the application's last line and its exit: what telemetry
// may add to an exit with nothing to flush is meant to be nothing at all.
const EXIT_MARGIN_MS = 500;
// The final flush (DYNTEL_SHUTDOWN_TIMEOUT, 2 s by default) bounds an exit with something to send.
const FLUSH_LIMIT_MS = 2_000;

/** Runs a child to its end; resolves with its output, how it ended and how long it took from its `END` line. */
async function untilExit(child: NodeChild): Promise<{ stdout: string[]; code: number | null; afterEndMs: number }> {
  await Promise.race([child.stdout.waitFor(/^END$/), child.closed]);
  const end = Date.now();
  const { code } = await child.closed;
  return { stdout: child.stdout.lines, code, afterEndMs: Date.now() - end };
}

describe('the process lives as long as without telemetry', () => {
  describe.each(FLAGS)('$flag @dyntel/register', ({ flag, unrefTimer }) => {
    it.each([
      { name: 'every exporter none', env: NOTHING_EXPORTED },
      { name: 'every exporter none, with auto-instrumentations-node', env: { ...NOTHING_EXPORTED, DYNTEL_AUTO_INSTRUMENTATIONS: 'true' } },
    ])("an application whose only work is an unref()ed timer ends without running it, as under bare node ($name)", async ({ env }) => {
      const bare = await untilExit(startNode({ script: unrefTimer, cwd: FIXTURES, env }));
      const withFlag = await untilExit(startNode({ nodeArgs: [flag, '@dyntel/register'], script: unrefTimer, cwd: FIXTURES, env: { DYNTEL_AUTO_INSTRUMENTATIONS: 'false', ...env } }));
      expect(bare).toMatchObject({ stdout: ['END'], code: 0 });
      expect(withFlag).toMatchObject({ stdout: ['END'], code: 0 });
      expect(withFlag.afterEndMs).toBeLessThan(bare.afterEndMs + EXIT_MARGIN_MS);
    });

    it('an application that records a span and ends exits once the span is sent, within the flush limit', async () => {
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_SERVICE_NAME: 'dyntel-e2e', DYNTEL_AUTO_INSTRUMENTATIONS: 'false', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
      const run = await untilExit(startNode({ nodeArgs: [flag, '@dyntel/register'], script: 'script-ends.cjs', cwd: FIXTURES, env }));
      expect(run).toMatchObject({ stdout: ['END'], code: 0 });
      expect(spanNames(receiver())).toContain('dyntel-e2e-script');
      expect(run.afterEndMs).toBeLessThan(FLUSH_LIMIT_MS + EXIT_MARGIN_MS);
    });
  });
});

/** GET /metrics once: the status, or the error's code when the connection failed (ECONNREFUSED before the server listens). */
async function scrape(port: number): Promise<{ status?: number; code?: string }> {
  const req = request({ host: '127.0.0.1', port, path: '/metrics' }).end();
  try {
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    await once(res, 'end');
    return { status: res.statusCode };
  } catch (error) {
    return { code: (error as { code?: string }).code };
  }
}

describe('the Prometheus endpoint', () => {
  // Longer than the app takes to start, far shorter than an endpoint held back by slow start-up work.
  const ANSWERS_WITHIN_MS = 1_000;

  it.each([
    { flag: '--require', app: 'app.cjs' },
    { flag: '--import', app: 'app.mjs' },
  ])('$flag: answers a scrape as soon as the application is up', async ({ flag, app }) => {
    const port = await freePort();
    const started = Date.now();
    const child = startApp({ preload: [flag, '@dyntel/register'], app, env: prometheusOnly(port) });
    let readyAt: number | undefined;
    void child.then(() => (readyAt = Date.now()), () => {});
    // Each refused connection is answered at once: the loop is driven by the connect errors, not by a wait.
    const deadline = started + 30_000;
    let result = await scrape(port);
    while (result.status !== 200 && result.code === 'ECONNREFUSED' && Date.now() < deadline) result = await scrape(port);
    const answeredAt = Date.now();
    expect(result).toEqual({ status: 200 });
    await child;
    expect(answeredAt - (readyAt ?? answeredAt)).toBeLessThan(ANSWERS_WITHIN_MS);
  });
});
