import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One request a receiver accepted, with its body decoded. */
export interface Received<T> {
  path: string;
  contentType: string;
  /** The request's `content-encoding` ('' when none); a gzip body is decompressed before `decode`. */
  contentEncoding: string;
  body: T;
}

/**
 * A local HTTP receiver on 127.0.0.1: `decode` turns each POST body (decompressed when gzip) into
 * something the test reads; `waitFor` resolves on the request event that satisfies it.
 */
export class Receiver<T> {
  readonly received: Array<Received<T>> = [];
  private readonly waiters: Array<() => boolean> = [];
  private server?: Server;
  port = 0;

  constructor(
    private readonly decode: (path: string, contentType: string, body: Buffer) => T,
    private readonly reply: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end(),
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const contentType = req.headers['content-type'] ?? '';
        const contentEncoding = req.headers['content-encoding'] ?? '';
        try {
          if (contentEncoding !== '' && contentEncoding !== 'gzip') throw new Error(`unexpected content encoding ${contentEncoding}`);
          const raw = Buffer.concat(chunks);
          const body = this.decode(path, contentType, contentEncoding === 'gzip' ? gunzipSync(raw) : raw);
          this.received.push({ path, contentType, contentEncoding, body });
        } catch (error) {
          res.writeHead(400).end(String(error));
          return;
        }
        this.reply(req, res);
        for (const waiter of [...this.waiters]) if (waiter()) this.waiters.splice(this.waiters.indexOf(waiter), 1);
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves with the first non-undefined `pick` over requests received so far or to come. */
  waitFor<R>(pick: (all: ReadonlyArray<Received<T>>) => R | undefined): Promise<R> {
    return new Promise((resolve) => {
      const check = () => {
        const found = pick(this.received);
        if (found === undefined) return false;
        resolve(found);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
