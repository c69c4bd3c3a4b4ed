import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, chownSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineLog } from './line-log';
import { freePort } from './ports';
import { postgresBinaries } from '../../../scripts/ensure-test-servers.mjs';

/** A PostgreSQL server started for a test, on 127.0.0.1, with one database and one login role. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** A login role that owns `database` and must give `password` over TCP. */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Shuts the server down (fast: open connections are closed) and removes its directory. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const USER = 'dyntel';
const DATABASE = 'dyntel_test';
// Another process may take the free port between the probe and the server's bind.
const BIND_ATTEMPTS = 3;

// PostgreSQL refuses to run as root: as root, every server process runs as this account.
const UNPRIVILEGED = 'nobody';

/** The uid and gid to run the server as: none when not root, else the unprivileged account's. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === UNPRIVILEGED);
  if (!entry) throw new Error(`startPostgres: running as root, and there is no ${UNPRIVILEGED} account in /etc/passwd to run PostgreSQL as (it refuses root)`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

interface Binaries {
  binDir: string;
  libraryPath: string[];
}

// The copy of the fetched server made for the unprivileged account, once per process.
let copied: Binaries | undefined;

/**
 * Binaries the unprivileged account can run: the fetched ones where it can reach them, else a
 * copy in a directory it can (a checkout under a directory only root may enter, such as one
 * made by mktemp -d, hides the cache from it). The copy goes when the process exits.
 */
function reachableBinaries(binaries: Binaries, identity: { uid: number; gid: number }): Binaries {
  if (copied) return copied;
  const probe = spawnSync(join(binaries.binDir, 'postgres'), ['--version'], { ...identity, env: { ...process.env, LD_LIBRARY_PATH: binaries.libraryPath.join(':') } });
  if (probe.error === undefined && probe.status === 0) return binaries;
  const marker = `${join('/', 'usr')}/`;
  const cut = binaries.binDir.lastIndexOf(marker);
  if (cut < 0) throw new Error(`startPostgres: ${UNPRIVILEGED} cannot run ${binaries.binDir}/postgres (${probe.error?.message ?? probe.stderr}), and it is no fetched tree this could copy`);
  const tree = binaries.binDir.slice(0, cut);
  const copy = mkdtempSync(join(tmpdir(), 'dyntel-postgres-server-'));
  cpSync(tree, copy, { recursive: true, verbatimSymlinks: true });
  chmodSync(copy, 0o755);
  process.once('exit', () => rmSync(copy, { recursive: true, force: true }));
  const moved = (path: string) => (path.startsWith(tree) ? copy + path.slice(tree.length) : path);
  copied = { binDir: moved(binaries.binDir), libraryPath: binaries.libraryPath.map(moved) };
  return copied;
}

/** Runs one of the server's tools to completion; rejects with its output when it fails. */
async function runTool(binary: string, args: string[], options: SpawnOptions, input?: string): Promise<void> {
  const child = spawn(binary, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin!.end(input);
  const [code, signal] = (await Promise.race([once(child, 'close'), once(child, 'error').then(([error]) => Promise.reject(error as Error))])) as [number | null, string | null];
  if (code !== 0) throw new Error(`startPostgres: ${binary} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`);
}

/** Starts the postmaster; resolves once it logs that it accepts connections, or with `bindFailed`. */
async function startServer(
  binary: string,
  args: string[],
  options: SpawnOptions,
): Promise<{ child: ChildProcess; exited: Promise<unknown> } | { bindFailed: true }> {
  const child = spawn(binary, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
  const log = new LineLog(child.stderr!);
  // 'close', not 'exit': the error below quotes stderr, which may still be arriving at 'exit'.
  const exited = once(child, 'close');
  const ready = await Promise.race([log.waitFor(/database system is ready to accept connections/).then(() => true), exited.then(() => false)]);
  if (ready) return { child, exited };
  if (log.matching(/could not bind|could not create any TCP\/IP sockets/).length > 0) return { bindFailed: true };
  throw new Error(`startPostgres: postgres exited before it accepted connections:\n${log.toString()}`);
}

/**
 * Starts a throwaway PostgreSQL server for a test: `initdb` into a fresh temporary directory,
 * role `user` (with a random password, required over TCP) owning `database`, then `postgres`
 * on 127.0.0.1 on a free port with its unix socket in that directory. Resolves once the server
 * accepts connections. The binaries come from `POSTGRES_BIN_DIR`, else from the Debian server
 * `npm test` fetches into .cache/debian; without either this rejects saying so. As root, the
 * server runs as `nobody`. Durability is off: the data lives as long as the test.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const found = postgresBinaries();
  if (found.missing !== undefined) throw new Error(`startPostgres: ${found.missing}`);
  const identity = serverIdentity();
  const binaries = identity ? reachableBinaries(found, identity) : found;
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-postgres-'));
  try {
    if (identity) chownSync(dir, identity.uid, identity.gid);
    const env = { ...process.env, LC_ALL: 'C', LD_LIBRARY_PATH: [...binaries.libraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
    const options: SpawnOptions = { env, cwd: dir, ...identity };
    const data = join(dir, 'data');
    const password = randomBytes(12).toString('hex');
    await runTool(join(binaries.binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-instructions', '--no-locale', '-E', 'UTF8'], options);
    // Single-user mode creates the role and database before the server listens, with no client.
    await runTool(
      join(binaries.binDir, 'postgres'),
      ['--single', '-D', data, '-c', 'exit_on_error=on', '-c', 'fsync=off', 'postgres'],
      options,
      `CREATE ROLE ${USER} LOGIN PASSWORD '${password}'\nCREATE DATABASE ${DATABASE} OWNER ${USER}\n`,
    );
    const durabilityOff = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const started = await startServer(
        join(binaries.binDir, 'postgres'),
        ['-D', data, '-c', `listen_addresses=${HOST}`, '-p', String(port), '-k', dir, '-c', 'logging_collector=off', ...durabilityOff],
        options,
      );
      if ('bindFailed' in started) {
        if (attempt < BIND_ATTEMPTS) continue;
        throw new Error(`startPostgres: postgres could not bind a free port on ${HOST} in ${BIND_ATTEMPTS} attempts`);
      }
      const { child, exited } = started;
      // A test run that ends without stop() must not leave a server behind (immediate shutdown).
      const onExit = () => child.kill('SIGQUIT');
      process.once('exit', onExit);
      let stopping: Promise<void> | undefined;
      return {
        host: HOST,
        port,
        user: USER,
        password,
        database: DATABASE,
        stop() {
          stopping ??= (async () => {
            process.off('exit', onExit);
            // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
            rmSync(dir, { recursive: true, force: true });
          })();
          return stopping;
        },
      };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
