import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port that nothing listens on right now (bound to 0, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A port held by a listener until `release()`: the "port is taken" case. */
export async function takenPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    async release() {
      server.close();
      await once(server, 'close');
    },
  };
}
