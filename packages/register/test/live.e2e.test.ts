import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { freePort, startNode, takenPort, type NodeChild } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
import { FIXTURES, prometheusOnly } from './support/child';

const FLAGS = ['--require', '--import'] as const;
const QUIET = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', DYNTEL_AUTO_INSTRUMENTATIONS: 'false' };
// Room for a loaded machine between the application's last line and its exit.
const EXIT_MARGIN_MS = 500;

function startLiveApp(flag: (typeof FLAGS)[number], env: Record<string, string>): NodeChild {
  return startNode({ nodeArgs: [flag, '@dyntel/register'], script: 'live-app.cjs', cwd: FIXTURES, env });
}

/** Ends the app (SIGUSR2 lets its last timer go); resolves with its output and how long it took from END to exit. */
async function end(app: NodeChild): Promise<{ modules: number; code: number | null; afterEndMs: number }> {
  app.child.kill('SIGUSR2');
  await app.stdout.waitFor(/^END$/);
  const ended = Date.now();
  const { code } = await app.closed;
  const modules = Number(/^LIVE_VIEW_MODULES (\d+)$/.exec(app.stdout.lines.find((l) => l.startsWith('LIVE_VIEW_MODULES')) ?? '')?.[1]);
  return { modules, code, afterEndMs: Date.now() - ended };
}

/** Resolves with the page's URL from the register's line, or rejects with stderr if the app ends first. */
function servedAt(app: NodeChild): Promise<string> {
  return Promise.race([
    app.stderr.waitFor(/the live view is served on (\S+) /).then((m) => m[1]!),
    app.closed.then(() => Promise.reject(new Error(`ended before the live view listened:\n${app.stderr}`))),
  ]);
}

describe.each(FLAGS)('%s @dyntel/register', (flag) => {
  it('loads no module of @dyntel/live-view when DYNTEL_LIVE_PORT is unset', async () => {
    const app = startLiveApp(flag, prometheusOnly(await freePort()));
    await app.stdout.waitFor(/^READY$/);
    const run = await end(app);
    expect(run).toMatchObject({ modules: 0, code: 0 });
    expect(app.stderr.matching(/live view/)).toEqual([]);
  });

  it('serves the live view with DYNTEL_LIVE_PORT: the summary of the breaker, read from the Prometheus reader, whose scrape keeps its names', async () => {
    const [metricsPort, livePort] = [await freePort(), await freePort()];
    const app = startLiveApp(flag, { ...prometheusOnly(metricsPort), DYNTEL_LIVE_PORT: String(livePort), DYNTEL_LIVE_HOST: '127.0.0.1' });
    expect(await servedAt(app)).toBe(`http://127.0.0.1:${livePort}/`);
    await app.stdout.waitFor(/^READY$/);
    const summary = (await (await fetch(`http://127.0.0.1:${livePort}/api/v1/summary`)).json()) as { text: string; breakers: { closed: number } };
    expect(summary.text).toBe('breakers open: 0, half-open: 0, closed: 1; pools pending requests: 0');
    const snapshot = (await (await fetch(`http://127.0.0.1:${livePort}/api/v1/snapshot`)).json()) as { breakers: Array<{ name: string; state: string }> };
    expect(snapshot.breakers).toMatchObject([{ name: 'inventory', state: 'closed' }]);
    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(scrape).toMatch(/^resilience_circuit_breaker_call_duration_seconds_count\{.*resilience_circuit_breaker_name="inventory".*\} 3$/m);
    expect((await end(app)).modules).toBeGreaterThan(0);
  });

  it('with metrics exporters none, reads a reader of its own, the runtime metrics included', async () => {
    const livePort = await freePort();
    const app = startLiveApp(flag, { ...QUIET, DYNTEL_LIVE_PORT: String(livePort), DYNTEL_LIVE_HOST: '127.0.0.1' });
    await servedAt(app);
    await app.stdout.waitFor(/^READY$/);
    const snapshot = (await (await fetch(`http://127.0.0.1:${livePort}/api/v1/snapshot`)).json()) as {
      breakers: Array<{ name: string; state: string }>;
      runtime: Record<string, number | null>;
    };
    expect(snapshot.breakers).toMatchObject([{ name: 'inventory', state: 'closed' }]);
    expect(snapshot.runtime['heapUsedBytes']).toBeGreaterThan(0);
    expect(snapshot.runtime['eventLoopUtilization']).not.toBeNull();
    await end(app);
  });

  it('a taken port is one diagnostic line, and the application runs on', async () => {
    const taken = await takenPort();
    try {
      const app = startLiveApp(flag, { ...QUIET, DYNTEL_LIVE_PORT: String(taken.port) });
      await app.stdout.waitFor(/^READY$/);
      const line = await app.stderr.waitFor(/DYNTEL_LIVE_PORT/);
      expect(line.input).toMatch(new RegExp(`invalid DYNTEL_LIVE_PORT: "${taken.port}"; expected a free TCP port .*EADDRINUSE.*; the live view is not served; the application runs on$`));
      expect(await end(app)).toMatchObject({ code: 0 });
      expect(app.stderr.matching(/live view/)).toHaveLength(1);
    } finally {
      await taken.release();
    }
  });

  it('an open page does not keep the process alive: it exits when the application is done, as without the live view', async () => {
    const without = startLiveApp(flag, QUIET);
    await without.stdout.waitFor(/^READY$/);
    const bare = await end(without);
    const livePort = await freePort();
    const app = startLiveApp(flag, { ...QUIET, DYNTEL_LIVE_PORT: String(livePort), DYNTEL_LIVE_HOST: '127.0.0.1' });
    await servedAt(app);
    await app.stdout.waitFor(/^READY$/);
    const stream = request({ host: '127.0.0.1', port: livePort, path: '/api/v1/stream' }).end();
    const [response] = (await once(stream, 'response')) as [IncomingMessage];
    // The first frame (the history) has arrived: the stream is open and its timer running.
    await once(response, 'data');
    const run = await end(app);
    stream.destroy();
    expect(run.code).toBe(0);
    expect(run.afterEndMs).toBeLessThan(bare.afterEndMs + EXIT_MARGIN_MS);
  });
});
