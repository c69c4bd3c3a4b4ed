import type { ServerResponse } from 'node:http';

/** One open page's event stream. */
interface Client {
  readonly response: ServerResponse;
  /** When the socket's buffer filled, while it is full: frames are dropped for it until it drains. */
  blockedSince: number | undefined;
}

/**
 * How long a stream may stay unwritable before it is closed: a browser that vanished without
 * closing its connection (a laptop put to sleep) would otherwise hold its place, and the
 * collection timer, for as long as TCP takes to give up.
 */
export const STALLED_STREAM_MILLIS = 30_000;

/**
 * The open event streams (server-sent events). A frame is written once per client and never
 * queued: a client whose socket is not writable (a slow or vanished browser) misses frames until
 * it drains, so the most one client holds in memory is the frame that filled its buffer; one that
 * stays unwritable for {@link STALLED_STREAM_MILLIS} is closed.
 */
export class StreamClients {
  private readonly clients = new Set<Client>();

  constructor(
    private readonly limit: number,
    private readonly changed: (count: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** Whether one more stream may open. */
  hasRoom(): boolean {
    return this.clients.size < this.limit;
  }

  /** Starts the stream on `response` with a first frame; it ends when the request closes. */
  open(response: ServerResponse, first: string): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    const client: Client = { response, blockedSince: undefined };
    this.clients.add(client);
    // A connection reset by the browser ends the stream like a close; it is never the application's error.
    response.on('error', () => response.destroy());
    response.on('close', () => {
      if (this.clients.delete(client)) this.changed(this.clients.size);
    });
    this.write(client, first);
    this.changed(this.clients.size);
  }

  /** Sends a frame to every client that can take it. */
  broadcast(frame: string): void {
    for (const client of this.clients) this.write(client, frame);
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }

  private write(client: Client, frame: string): void {
    if (client.response.destroyed) return;
    if (client.blockedSince !== undefined) {
      if (this.now() - client.blockedSince >= STALLED_STREAM_MILLIS) client.response.destroy();
      return;
    }
    if (!client.response.write(frame)) {
      client.blockedSince = this.now();
      client.response.once('drain', () => (client.blockedSince = undefined));
    }
  }
}

/** A server-sent event frame: the JSON on one `data:` line (JSON.stringify never writes a newline). */
export function eventFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
