import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_POOL_NAME,
  CircuitBreakerState,
  DURATION_BUCKETS_SECONDS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_STATUS,
  METRIC_POOL_PENDING_REQUESTS,
} from '@dyntel/semconv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLiveView, type LiveView, type Snapshot, type Summary } from '../src/index';

class PullReader extends MetricReader {
  collections = 0;
  protected override onShutdown = () => Promise.resolve();
  protected override onForceFlush = () => Promise.resolve();
  override collect(...args: Parameters<MetricReader['collect']>) {
    this.collections++;
    return super.collect(...args);
  }
}

const XSS = '<img src=x onerror=alert(1)>';

/** A meter provider with one breaker (state set by the test) and one pool, and a live view on a free port. */
async function setUp(options: { intervalMillis?: number; maxStreams?: number } = {}) {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('test');
  const states: Record<string, string> = { inventory: CircuitBreakerState.CLOSED, [XSS]: CircuitBreakerState.CLOSED };
  meter.createObservableUpDownCounter(METRIC_CIRCUIT_BREAKER_STATUS).addCallback((result) => {
    for (const [name, current] of Object.entries(states))
      for (const state of Object.values(CircuitBreakerState)) result.observe(state === current ? 1 : 0, { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: state });
  });
  const calls = meter.createHistogram(METRIC_CIRCUIT_BREAKER_CALL_DURATION, { unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } });
  meter.createUpDownCounter(METRIC_POOL_PENDING_REQUESTS).add(3, { [ATTR_POOL_NAME]: 'clients' });
  let listenError: Error | undefined;
  const view = await new Promise<{ view: LiveView; url: string }>((resolve, reject) => {
    const started = startLiveView({
      host: '127.0.0.1',
      port: 0,
      collect: () => reader.collect().then((r) => r.resourceMetrics),
      ...options,
      onListening: (url) => resolve({ view: started, url }),
      onListenError: (error) => reject((listenError = error)),
    });
  });
  opened.push(view.view);
  return { ...view, reader, states, calls, listenError, provider };
}

const opened: LiveView[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((view) => view.close()));
});

/** GET with the headers a browser on the same machine sends. */
async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** An event stream read frame by frame: `next()` resolves with the next event. */
function openStream(url: string) {
  const req = request(url).end();
  const queue: Array<{ event: string; data: unknown }> = [];
  const waiting: Array<(event: { event: string; data: unknown }) => void> = [];
  let buffer = '';
  req.on('response', (res: IncomingMessage) => {
    res.on('data', (chunk) => {
      buffer += String(chunk);
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!event || !data) continue;
        const parsed = { event, data: JSON.parse(data) as unknown };
        const waiter = waiting.shift();
        if (waiter) waiter(parsed);
        else queue.push(parsed);
      }
    });
  });
  const status = new Promise<boolean>((resolve) => req.on('response', (res: IncomingMessage) => resolve(res.statusCode === 200)));
  return {
    /** Whether the stream was accepted (200). */
    status: () => status,
    next: () => new Promise<{ event: string; data: unknown }>((resolve) => (queue.length > 0 ? resolve(queue.shift()!) : waiting.push(resolve))),
    close: () => req.destroy(),
  };
}

describe('the JSON API', () => {
  it('summarises the breakers for a readiness probe: "breakers open: 1", and /ready answers 503 while one is open', async () => {
    const { url, states } = await setUp();
    states['inventory'] = CircuitBreakerState.OPEN;
    const summary = JSON.parse((await get(`${url}api/v1/summary`)).body) as Summary;
    expect(summary).toMatchObject({ apiVersion: 1, ok: false, breakers: { total: 2, open: 1, closed: 1, openNames: ['inventory'] }, pools: { pendingRequests: 3 } });
    expect(summary.text).toMatch(/^breakers open: 1 \("inventory"\), half-open: 0, closed: 1; pools pending requests: 3$/);
    expect((await get(`${url}api/v1/ready`)).status).toBe(503);
    states['inventory'] = CircuitBreakerState.CLOSED;
    expect((await get(`${url}api/v1/ready`)).status).toBe(200);
  });

  it('reports calls per second by outcome and latency quantiles over the interval since the previous collection', async () => {
    const { url, calls } = await setUp();
    await get(`${url}api/v1/snapshot`);
    for (let i = 0; i < 100; i++) calls.record(0.02, { [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'success' });
    calls.record(0.02, { [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_CIRCUIT_BREAKER_OUTCOME]: 'failure' });
    const snapshot = JSON.parse((await get(`${url}api/v1/snapshot`)).body) as Snapshot;
    const inventory = snapshot.breakers.find((b) => b.name === 'inventory')!;
    const seconds = snapshot.intervalSeconds!;
    expect(inventory.callsPerSecond!['success']).toBeCloseTo(100 / seconds);
    expect(inventory.callsPerSecond!['failure']).toBeCloseTo(1 / seconds);
    // 0.02 s falls in the (0.01, 0.025] bucket.
    expect(inventory.latencySeconds.p50).toBeGreaterThan(0.01);
    expect(inventory.latencySeconds.p50).toBeLessThanOrEqual(0.025);
    expect(inventory.stateSince).toMatchObject({ exact: false });
  });

  it('keeps names as data: the JSON carries the name as written, and no response is HTML but the page', async () => {
    const { url } = await setUp();
    const snapshot = await get(`${url}api/v1/snapshot`);
    expect(snapshot.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((JSON.parse(snapshot.body) as Snapshot).breakers.map((b) => b.name)).toContain(XSS);
    expect((await get(`${url}no-such-page`)).headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });
});

describe('the server', () => {
  it('sends a strict Content-Security-Policy with the page and serves uPlot from its package', async () => {
    const { url } = await setUp();
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.body).not.toMatch(/<script>|\sstyle=|\son\w+=/);
    const uplot = await get(`${url}vendor/uPlot.iife.min.js`);
    expect(uplot.status).toBe(200);
    expect(uplot.body).toContain('uPlot');
  });

  it('is read-only and answers only requests for localhost when bound to it (no DNS rebinding)', async () => {
    const { url } = await setUp();
    expect((await fetch(`${url}api/v1/summary`, { method: 'POST' })).status).toBe(405);
    const port = new URL(url).port;
    const rebound = await new Promise<number>((resolve) => request({ host: '127.0.0.1', port, path: '/api/v1/summary', headers: { host: `attacker.example:${port}` } }, (res) => resolve(res.statusCode!)).end());
    expect(rebound).toBe(403);
    expect((await get(`${url}api/v1/summary`, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('collects nothing while no page is open, every interval while one is, and drops its timer when the page closes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { url, reader } = await setUp({ intervalMillis: 50 });
      expect(reader.collections).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
      const stream = openStream(`${url}api/v1/stream`);
      // The stream's first collection (the history and its sample), then one per interval.
      expect((await stream.next()).event).toBe('history');
      expect((await stream.next()).event).toBe('sample');
      expect(vi.getTimerCount()).toBe(1);
      for (let i = 0; i < 3; i++) {
        vi.advanceTimersByTime(50);
        expect((await stream.next()).event).toBe('sample');
      }
      expect(reader.collections).toBe(4);
      stream.close();
      const deadline = Date.now() + 5_000;
      while (vi.getTimerCount() > 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(500);
      expect(reader.collections).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a stream past its limit with 503, and takes one again once a page closed', async () => {
    const { url } = await setUp({ maxStreams: 1 });
    const first = openStream(`${url}api/v1/stream`);
    expect((await first.next()).event).toBe('history');
    expect((await get(`${url}api/v1/stream`)).status).toBe(503);
    first.close();
    const deadline = Date.now() + 5_000;
    let again = openStream(`${url}api/v1/stream`);
    // The server may see the first stream's close after the next request: a refused one is retried until the deadline.
    while (!(await again.status()) && Date.now() < deadline) again = openStream(`${url}api/v1/stream`);
    expect((await again.next()).event).toBe('history');
    again.close();
  });

  it('reports a taken port to onListenError and serves nothing', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const error = await new Promise<Error>((resolve) => {
      opened.push(startLiveView({ host: '127.0.0.1', port, collect: () => Promise.reject(new Error('never')), onListenError: resolve }));
    });
    expect((error as { code?: string }).code).toBe('EADDRINUSE');
    taken.close();
  });
});
