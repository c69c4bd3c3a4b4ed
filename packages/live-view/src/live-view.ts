import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveState, summaryOf, type CollectMetrics } from './live-state';
import { StaticFiles } from './static-files';
import { eventFrame, StreamClients } from './stream-clients';

/** Where and how the live view serves. */
export interface LiveViewOptions {
  /** The address to listen on; `localhost` keeps it to this machine. */
  host: string;
  /** The TCP port; 0 takes a free one. */
  port: number;
  /** Collects the process's metrics, cumulative: a MetricReader's `collect()`. */
  collect: CollectMetrics;
  /** How often open pages get a sample. */
  intervalMillis?: number;
  /** How much history the page and GET /api/v1/history hold. */
  windowSeconds?: number;
  /** Open pages (event streams) at most; more are refused with 503. */
  maxStreams?: number;
  /** Called once the server listens, with the page's URL. */
  onListening?: (url: string) => void;
  /** Called when the server cannot listen (a taken port, an address that is not local): the live view is then off, the application runs on. */
  onListenError?: (error: Error) => void;
  /** Called when a collection fails, at most once until one succeeds again. */
  onCollectError?: (error: unknown) => void;
}

/** A running live view. */
export interface LiveView {
  /** Stops serving and ends the open pages' streams. */
  close(): Promise<void>;
}

const DEFAULT_INTERVAL_MILLIS = 1_000;
const DEFAULT_WINDOW_SECONDS = 300;
const DEFAULT_MAX_STREAMS = 8;

// Nothing of the page runs anything but its own files; it talks to nothing but this server.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Serves a read-only live page and a JSON API (`/api/v1/...`) of the process's breakers,
 * retries, pools, agents, actors and runtime, from `collect`. Collection runs every
 * `intervalMillis` while at least one page is open and not at all otherwise; an API request
 * collects once. Neither the server, its connections nor its timer keep the process alive,
 * and nothing it does can throw into the application: a server that cannot listen is reported
 * to `onListenError` and serves nothing.
 */
export function startLiveView(options: LiveViewOptions): LiveView {
  const intervalMillis = options.intervalMillis ?? DEFAULT_INTERVAL_MILLIS;
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  // One sample per interval fills the window; the slack covers API requests between ticks.
  const capacity = Math.ceil((windowSeconds * 1000) / intervalMillis) * 2;
  const state = new LiveState(options.collect, windowSeconds * 1000, capacity);
  const files = new StaticFiles();
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  const collect = () =>
    state.collect().then(
      (sample) => {
        failing = false;
        return sample;
      },
      (error: unknown) => {
        if (!failing) options.onCollectError?.(error);
        failing = true;
        return undefined;
      },
    );
  const tick = () => {
    void collect().then((sample) => sample && streams.broadcast(eventFrame('sample', state.snapshot(sample))));
  };
  const streams = new StreamClients(options.maxStreams ?? DEFAULT_MAX_STREAMS, (count) => {
    if (count > 0 && !timer) {
      timer = setInterval(tick, intervalMillis);
      timer.unref();
    } else if (count === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  });

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end();
    });
  });
  const loopbackOnly = LOOPBACK_NAMES.has(options.host.toLowerCase());

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A page of another site that a DNS name of its own points at this port would otherwise read the API.
    if (loopbackOnly && !LOOPBACK_NAMES.has(hostName(request.headers.host))) return text(response, 403, 'the live view answers requests for localhost only');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(response, 405, 'the live view is read-only: GET only', { allow: 'GET, HEAD' });
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = files.get(path);
    if (file) {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type, 'content-length': file.body.length });
      response.end(request.method === 'HEAD' ? undefined : file.body);
      return;
    }
    switch (path) {
      case '/api/v1/stream': {
        if (!streams.hasRoom()) return text(response, 503, 'too many open live pages');
        const sample = await collect();
        if (response.destroyed) return;
        // Other streams may have opened during the collection.
        if (!streams.hasRoom()) return text(response, 503, 'too many open live pages');
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
        streams.open(response, `retry: 2000\n\n${eventFrame('history', state.historyBody())}${sample ? eventFrame('sample', state.snapshot(sample)) : ''}`);
        return;
      }
      case '/api/v1/snapshot':
        return json(response, await latest((sample) => state.snapshot(sample)));
      case '/api/v1/summary':
        return json(response, await latest(summaryOf));
      case '/api/v1/ready': {
        const summary = await latest(summaryOf);
        return json(response, summary, summary && !summary.ok ? 503 : 200);
      }
      case '/api/v1/history':
        await collect();
        return json(response, state.historyBody());
      default:
        return text(response, 404, 'not found');
    }
  }

  async function latest<T>(view: (sample: NonNullable<Awaited<ReturnType<typeof collect>>>) => T): Promise<T | undefined> {
    const sample = await collect();
    return sample && view(sample);
  }

  server.on('connection', (socket) => socket.unref());
  server.on('error', (error) => options.onListenError?.(error));
  server.listen(options.port, options.host, () => {
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    options.onListening?.(`http://${host}:${port}/`);
  });
  server.unref();

  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        timer = undefined;
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The host name of a Host header, without the port; '' when there is none. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!;
  return name.toLowerCase();
}

function json(response: ServerResponse, body: unknown, status = 200): void {
  if (body === undefined) return text(response, 503, 'the metrics could not be collected');
  const data = JSON.stringify(body);
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  response.end(data);
}

function text(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}

