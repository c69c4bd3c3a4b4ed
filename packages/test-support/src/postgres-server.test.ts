import { once } from 'node:events';
import { connect } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from './postgres-server';

/** Whether something accepts TCP connections on the port. */
async function accepts(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  const [outcome] = await Promise.race([once(socket, 'connect').then(() => ['connect']), once(socket, 'error')]);
  socket.destroy();
  return outcome === 'connect';
}

describe('startPostgres', () => {
  let server: PostgresServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('starts a server the pure-JS driver queries with the role and password it returns; stop() closes the port', async () => {
    const started = performance.now();
    server = await startPostgres();
    // Visible in the run's output: what a test pays for a real database.
    console.log(`startPostgres took ${Math.round(performance.now() - started)} ms`);
    const { host, port, user, password, database } = server;
    const client = new pg.Client({ host, port, user, password, database });
    await client.connect();
    const result = await client.query<{ one: number; db: string; who: string }>('select 1 as one, current_database() as db, current_user as who');
    expect(result.rows).toEqual([{ one: 1, db: database, who: user }]);
    await client.end();
    expect(await accepts(port)).toBe(true);

    await server.stop();
    expect(await accepts(port)).toBe(false);
    await server.stop(); // idempotent
  });

  it('requires the password over TCP', async () => {
    server = await startPostgres();
    const { host, port, user, database } = server;
    const client = new pg.Client({ host, port, user, password: 'not-the-password', database });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('stops a server with a client still connected (fast shutdown)', async () => {
    server = await startPostgres();
    const client = new pg.Client(server);
    client.on('error', () => {}); // the shutdown terminates the connection
    await client.connect();
    await server.stop();
    expect(await accepts(server.port)).toBe(false);
  });

  it('says how to get the server when POSTGRES_BIN_DIR has none', async () => {
    const saved = process.env.POSTGRES_BIN_DIR;
    process.env.POSTGRES_BIN_DIR = '/nonexistent/bin';
    try {
      await expect(startPostgres()).rejects.toThrow('startPostgres: POSTGRES_BIN_DIR is "/nonexistent/bin", which has no postgres binary');
    } finally {
      if (saved === undefined) delete process.env.POSTGRES_BIN_DIR;
      else process.env.POSTGRES_BIN_DIR = saved;
    }
  });
});
