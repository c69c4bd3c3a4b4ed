import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { type ChildEnd, freePort, type NodeChild, type Receiver, startNode, stopAllChildren } from '@dyntel/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build';
import { FIXTURES, startApp } from './support/child';
import { otlpReceiver, spanNames } from './support/otlp';
import type { OtlpBody } from './support/otlp';

// The final flush may hold the process DYNTEL_SHUTDOWN_TIMEOUT (2 s by default) beyond the
// application's own end; the margin absorbs a loaded machine, not a second export timeout.
const DEFAULT_LIMIT_MS = 2_000;
const MARGIN_MS = 1_500;
// Before the bound, these runs took the export timeout (10 s, or 30 s): long enough to fail by assertion.
const SLOW_TEST_MS = 45_000;

/** A collector that accepts connections and never answers: every export waits for its timeout. */
class HungCollector {
  private readonly server: Server = createServer((socket) => this.sockets.add(socket.on('data', () => {})));
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

const hung = new HungCollector();
let healthy: Receiver<OtlpBody>;
let deadPort: number;

beforeAll(async () => {
  ensureBuilt();
  await hung.start();
  healthy = await otlpReceiver();
  deadPort = await freePort();
});
afterEach(async () => {
  await stopAllChildren();
  healthy.received.length = 0;
});
afterAll(async () => {
  await hung.close();
  await healthy.close();
});

const REGISTER = ['--require', '@dyntel/register'];
// Spans, metrics and log records are all pending when the script ends: each signal's final export is bounded.
const PENDING = { OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BLRP_SCHEDULE_DELAY: '600000', OTEL_METRIC_EXPORT_INTERVAL: '600000', DYNTEL_AUTO_INSTRUMENTATIONS: 'false' };

/** Runs script-ends.cjs and resolves with how it ended and how long it took from its `END` line. */
async function runScript(preload: string[], env: Record<string, string>): Promise<{ end: ChildEnd; afterEndMs: number; child: NodeChild }> {
  const child = startNode({ nodeArgs: preload, script: 'script-ends.cjs', cwd: FIXTURES, env: { OTEL_SERVICE_NAME: 'dyntel-e2e', ...env } });
  await Promise.race([child.stdout.waitFor(/^END$/), child.closed]);
  const from = Date.now();
  const end = await child.closed;
  return { end, afterEndMs: Date.now() - from, child };
}

describe('a script that simply ends', () => {
  const receivers: Array<{ name: string; url: () => string; extra: Record<string, string> }> = [
    { name: 'a hung collector', url: () => hung.url, extra: {} },
    { name: 'a hung collector with OTEL_EXPORTER_OTLP_TIMEOUT=30000', url: () => hung.url, extra: { OTEL_EXPORTER_OTLP_TIMEOUT: '30000' } },
    { name: 'a port nobody listens on', url: () => `http://127.0.0.1:${deadPort}`, extra: {} },
  ];

  it.each(receivers)('exits within DYNTEL_SHUTDOWN_TIMEOUT with $name, with the exit code it has without the flag', async ({ url, extra }) => {
    const env = { ...PENDING, ...extra, OTEL_EXPORTER_OTLP_ENDPOINT: url(), E2E_EXIT_CODE: '3' };
    const bare = await runScript([], env);
    const run = await runScript(REGISTER, env);
    expect(run.end).toEqual(bare.end);
    expect(run.end).toEqual({ code: 3, signal: null });
    expect(run.afterEndMs).toBeLessThan(DEFAULT_LIMIT_MS + MARGIN_MS);
  }, SLOW_TEST_MS);

  it('makes one attempt per export at exit: a collector that refuses connections costs no retry waits', async () => {
    const env = { ...PENDING, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}`, E2E_EXIT_CODE: '3' };
    const run = await runScript(REGISTER, env);
    expect(run.end).toEqual({ code: 3, signal: null });
    // Retries would wait a second or more each; the refusals come back at once.
    expect(run.afterEndMs).toBeLessThan(DEFAULT_LIMIT_MS / 2);
    expect(run.child.stderr.lines.filter((line) => line.includes('did not finish'))).toEqual([]);
  }, SLOW_TEST_MS);

  it('says once that the bound cut the flush short, naming the limit', async () => {
    const run = await runScript(REGISTER, { ...PENDING, OTEL_EXPORTER_OTLP_ENDPOINT: hung.url, DYNTEL_SHUTDOWN_TIMEOUT: '500' });
    expect(run.afterEndMs).toBeLessThan(500 + MARGIN_MS);
    // One line, and no line blaming the receiver for the exports the cut ended.
    expect(run.child.stderr.lines).toEqual([
      '@dyntel/register: the final flush did not finish within DYNTEL_SHUTDOWN_TIMEOUT (500 ms); unexported telemetry is dropped.',
    ]);
  }, SLOW_TEST_MS);

  it('keeps the code of an uncaught exception', async () => {
    const env = { ...PENDING, OTEL_EXPORTER_OTLP_ENDPOINT: hung.url, E2E_THROW: 'true' };
    const bare = await runScript([], env);
    const run = await runScript(REGISTER, env);
    expect(run.end).toEqual(bare.end);
    expect(run.end.code).toBe(1);
    expect(run.afterEndMs).toBeLessThan(DEFAULT_LIMIT_MS + MARGIN_MS);
  }, SLOW_TEST_MS);

  it("runs the application's beforeExit listener as often as without the flag, and still delivers the span", async () => {
    const env = { ...PENDING, OTEL_EXPORTER_OTLP_ENDPOINT: healthy.url, E2E_BEFORE_EXIT: 'print', E2E_EXIT_CODE: '4' };
    const bare = await runScript([], env);
    const run = await runScript(REGISTER, env);
    expect(bare.child.stdout.matching(/^APP/)).toEqual(['APP BEFOREEXIT 1 4']);
    expect(run.child.stdout.matching(/^APP/)).toEqual(bare.child.stdout.matching(/^APP/));
    expect(run.end).toEqual({ code: 4, signal: null });
    expect(spanNames(healthy)).toEqual(['dyntel-e2e-script']);
  }, SLOW_TEST_MS);

  it('lets work that the application schedules in beforeExit run, with a hung collector', async () => {
    const env = { ...PENDING, OTEL_EXPORTER_OTLP_ENDPOINT: hung.url, E2E_BEFORE_EXIT: 'more-work' };
    const bare = await runScript([], env);
    const run = await runScript(REGISTER, env);
    expect(bare.child.stdout.matching(/^APP/)).toEqual(['APP BEFOREEXIT 1 0', 'APP MORE WORK', 'APP BEFOREEXIT 2 0']);
    expect(run.child.stdout.matching(/^APP/)).toEqual(bare.child.stdout.matching(/^APP/));
    expect(run.end).toEqual({ code: 0, signal: null });
    expect(run.afterEndMs).toBeLessThan(DEFAULT_LIMIT_MS + MARGIN_MS);
  }, SLOW_TEST_MS);
});

describe('SIGTERM with a hung collector', () => {
  /** Starts the e2e app, lets it make one span, sends SIGTERM and times the end from there. */
  async function terminate(env: Record<string, string>): Promise<{ end: ChildEnd; afterSignalMs: number; app: NodeChild }> {
    const app = await startApp({ preload: REGISTER, app: 'app.cjs', env: { ...PENDING, OTEL_EXPORTER_OTLP_ENDPOINT: hung.url, OTEL_EXPORTER_OTLP_TIMEOUT: '30000', ...env } });
    await app.get('/work');
    const from = Date.now();
    const end = await app.stop('SIGTERM');
    return { end, afterSignalMs: Date.now() - from, app };
  }

  it('an application with its own handler ends within the limit after it lets the loop empty, with its own exit code', async () => {
    const { end, afterSignalMs, app } = await terminate({ E2E_OWN_SIGTERM: 'true' });
    expect(end).toEqual({ code: 0, signal: null });
    expect(app.stdout.lines).toContain('APP SIGTERM');
    expect(afterSignalMs).toBeLessThan(DEFAULT_LIMIT_MS + MARGIN_MS);
  }, SLOW_TEST_MS);

  it('an application without a handler dies of SIGTERM within the limit', async () => {
    const { end, afterSignalMs } = await terminate({ DYNTEL_SHUTDOWN_TIMEOUT: '500' });
    expect(end).toEqual({ code: null, signal: 'SIGTERM' });
    expect(afterSignalMs).toBeLessThan(500 + MARGIN_MS);
  }, SLOW_TEST_MS);
});

describe('a hung Zipkin receiver', () => {
  // Only Zipkin exports: OTLP ones are bounded by the cases above.
  const zipkin = () => ({ ...PENDING, OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${hung.url}/api/v2/spans`, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' });

  it('an application with its own SIGTERM handler ends within the limit after it lets the loop empty', async () => {
    const app = await startApp({ preload: REGISTER, app: 'app.cjs', env: { ...zipkin(), E2E_OWN_SIGTERM: 'true' } });
    await app.get('/work');
    const from = Date.now();
    expect(await app.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - from).toBeLessThan(DEFAULT_LIMIT_MS + MARGIN_MS);
    expect(app.stdout.lines).toContain('APP SIGTERM');
  }, SLOW_TEST_MS);

  it('a script whose beforeExit listener schedules more work ends within the limit, and says only that the flush was cut', async () => {
    const env = { ...zipkin(), E2E_BEFORE_EXIT: 'more-work' };
    const bare = await runScript([], env);
    const run = await runScript(REGISTER, env);
    expect(run.child.stdout.matching(/^APP/)).toEqual(bare.child.stdout.matching(/^APP/));
    expect(run.end).toEqual({ code: 0, signal: null });
    expect(run.afterEndMs).toBeLessThan(DEFAULT_LIMIT_MS + MARGIN_MS);
    expect(run.child.stderr.lines).toEqual([
      '@dyntel/register: the final flush did not finish within DYNTEL_SHUTDOWN_TIMEOUT (2000 ms); unexported telemetry is dropped.',
    ]);
  }, SLOW_TEST_MS);
});
