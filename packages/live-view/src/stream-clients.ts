import type { ServerResponse } from 'node:http';

/** One open page's event stream. */
interface Client {
  readonly response: ServerResponse;
  /** Set while the socket's buffer is full: frames are dropped for it until it drains. */
  blocked: boolean;
}

/**
 * The open event streams (server-sent events). A frame is written once per client and never
 * queued: a client whose socket is not writable (a slow or vanished browser) misses frames until
 * it drains, so the most one client holds in memory is the frame that filled its buffer.
 */
export class StreamClients {
  private readonly clients = new Set<Client>();

  constructor(
    private readonly limit: number,
    private readonly changed: (count: number) => void,
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
    const client: Client = { response, blocked: false };
    this.clients.add(client);
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
    if (client.blocked || client.response.destroyed) return;
    if (!client.response.write(frame)) {
      client.blocked = true;
      client.response.once('drain', () => (client.blocked = false));
    }
  }
}

/** A server-sent event frame: the JSON on one `data:` line (JSON.stringify never writes a newline). */
export function eventFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
