// Fetches the real servers the end-to-end tests start (Debian's `prometheus`, which brings
// promtool too, `prometheus-alertmanager`, the PostgreSQL server and `chromium` for the browser tests) into the repository's own .cache/debian/, so that
// `npm install && npm test` needs nothing installed by hand and installs nothing on the system:
// `apt-get download` and `dpkg -x` need no root, and no service is registered. Shared libraries
// a server needs and the system lacks are fetched beside it (the tests run it with
// LD_LIBRARY_PATH pointing there). Fetching needs the apt package lists; when it fails this says
// why, keeps apt's words in .cache/debian/<server>.failed, and the tests that need the server
// repeat them. Override variables (PROMETHEUS_BIN, ALERTMANAGER_BIN, POSTGRES_BIN_DIR, CHROMIUM_BIN) skip the download.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(root, '.cache', 'debian');
// Enough rounds for libraries that need libraries; a longer chain means something else is wrong.
const LIBRARY_ROUNDS = 4;

/** Where the binary of a Debian package lands in the cache, whether it is there or not. */
function cachedBinary(debianPackage, binary) {
  return join(CACHE, debianPackage, 'usr', 'bin', binary);
}

/** The binary of a Debian package for the tests: the cached one, else the name (found on the PATH). */
export function testBinary(debianPackage, binary) {
  const cached = cachedBinary(debianPackage, binary);
  return existsSync(cached) ? cached : binary;
}

const POSTGRES_TREE = join(CACHE, 'postgresql');

/** The cached server's bin directory (usr/lib/postgresql/NN/bin), if one was fetched. */
function cachedPostgresBinDir() {
  const versions = join(POSTGRES_TREE, 'usr', 'lib', 'postgresql');
  if (!existsSync(versions)) return undefined;
  const version = readdirSync(versions).find((entry) => existsSync(join(versions, entry, 'bin', 'postgres')));
  return version === undefined ? undefined : join(versions, version, 'bin');
}

/** The multiarch library directories of an unpacked tree (usr/lib/x86_64-linux-gnu, ...). */
function libraryDirs(tree) {
  return ['lib', join('usr', 'lib')].flatMap((base) => {
    const dir = join(tree, base);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((entry) => /-linux-gnu/.test(entry))
      .map((entry) => join(dir, entry));
  });
}

/**
 * PostgreSQL's server binaries for the tests (`initdb`, `postgres`): POSTGRES_BIN_DIR, else the
 * server `npm test` fetched into the cache. `libraryPath` holds the directories of the
 * libraries fetched with it, for LD_LIBRARY_PATH. When there is none, `missing` says what to do.
 */
export function postgresBinaries() {
  const override = process.env.POSTGRES_BIN_DIR;
  if (override) {
    return existsSync(join(override, 'postgres'))
      ? { binDir: override, libraryPath: [] }
      : { missing: `POSTGRES_BIN_DIR is ${JSON.stringify(override)}, which has no postgres binary: point it at a PostgreSQL bin directory (e.g. /usr/lib/postgresql/15/bin)` };
  }
  const binDir = cachedPostgresBinDir();
  if (binDir) return { binDir, libraryPath: libraryDirs(POSTGRES_TREE) };
  return { missing: notFetched('PostgreSQL server', 'postgresql', 'POSTGRES_BIN_DIR') };
}

/** Why a server is not in the cache, what to run, and what its last fetch said (it writes `<name>.failed`). */
function notFetched(what, name, variable) {
  const failure = join(CACHE, `${name}.failed`);
  const said = existsSync(failure) ? ` The last fetch said: ${readFileSync(failure, 'utf8').trim()}` : '';
  return (
    `no ${what} in .cache/debian: run \`npm test\` (or \`node scripts/ensure-test-servers.mjs\`) to fetch Debian's, or set ${variable}.` +
    ` If the apt package lists are missing, run \`apt-get update\` as root first.${said}`
  );
}

/** Runs a command and returns its stdout; throws with its stderr. */
function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/** Downloads Debian packages into `work` and unpacks each into `tree`. */
function unpack(packages, work, tree) {
  const downloads = mkdtempSync(join(work, 'debs-'));
  run('apt-get', ['download', '-q', ...packages], { cwd: downloads });
  for (const deb of readdirSync(downloads).filter((file) => file.endsWith('.deb'))) run('dpkg', ['-x', join(downloads, deb), tree]);
  rmSync(downloads, { recursive: true, force: true });
}

/** The library packages (lib*) a package depends on, as apt-cache names them. */
function libraryDependencies(debianPackage) {
  const out = run('apt-cache', ['depends', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', debianPackage]);
  return [...out.matchAll(/^\s*\|?Depends: (lib[^\s<>]+)$/gm)].map((m) => m[1]);
}

function installed(debianPackage) {
  const probe = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Status}', debianPackage], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout === 'installed';
}

/** Shared libraries the binaries cannot find, run with `libraryPath` (ldd's "not found" lines). */
function missingLibraries(binaries, libraryPath) {
  const env = { ...process.env, LD_LIBRARY_PATH: libraryPath.join(':') };
  const out = binaries.map((binary) => run('ldd', [binary], { env })).join('\n');
  return [...new Set([...out.matchAll(/^\s*(\S+) => not found$/gm)].map((m) => m[1]))];
}

/**
 * Fetches a tree holding Debian's PostgreSQL server (the `postgresql` metapackage names the
 * versioned one) and any library it links that the system does not have.
 */
function fetchPostgres(work, tree) {
  const server = /Depends: (postgresql-\d+)\b/.exec(run('apt-cache', ['depends', 'postgresql']))?.[1];
  if (!server) throw new Error("apt-cache does not know which postgresql-NN package Debian's postgresql depends on");
  unpack([server], work, tree);
  const binDir = join(tree, 'usr', 'lib', 'postgresql', server.slice('postgresql-'.length), 'bin');
  withLibraries(work, tree, [server], ['postgres', 'initdb'].map((binary) => join(binDir, binary)), libraryDirs);
}

/**
 * Fetches into `tree` the libraries `binaries` link that the system does not have: the library
 * packages `packages` depend on that are not installed, then theirs, until ldd (run with the
 * directories `dirs` finds in the tree) finds everything.
 */
function withLibraries(work, tree, packages, binaries, dirs) {
  const fetched = new Set(packages);
  let from = packages;
  for (let round = 0; round < LIBRARY_ROUNDS; round++) {
    const missing = missingLibraries(binaries, dirs(tree));
    if (missing.length === 0) return;
    const next = [...new Set(from.flatMap(libraryDependencies))].filter((p) => !fetched.has(p) && !installed(p));
    if (next.length === 0) throw new Error(`${binaries[0]} needs ${missing.join(', ')}, which no library package it depends on provides`);
    console.log(`  with the libraries the system lacks: ${next.join(', ')}`);
    unpack(next, work, tree);
    for (const p of next) fetched.add(p);
    from = next;
  }
  const missing = missingLibraries(binaries, dirs(tree));
  if (missing.length > 0) throw new Error(`${binaries[0]} still cannot find ${missing.join(', ')}`);
}

const CHROMIUM_TREE = join(CACHE, 'chromium');
const CHROMIUM_BINARY = join('usr', 'lib', 'chromium', 'chromium');

/**
 * The library directories of the chromium tree: the multiarch ones and their subdirectories
 * holding libraries (PulseAudio keeps its common library in one, found through a RUNPATH that
 * points at the system's copy).
 */
function chromiumLibraryDirs(tree) {
  return libraryDirs(tree).flatMap((dir) => [
    dir,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(join(dir, entry.name)).some((file) => /\.so(\.|$)/.test(file)))
      .map((entry) => join(dir, entry.name)),
  ]);
}

/** Fetches Debian's chromium (with chromium-common, its resources) and the libraries the system lacks for it. */
function fetchChromium(work, tree) {
  unpack(['chromium', 'chromium-common'], work, tree);
  withLibraries(work, tree, ['chromium'], [join(tree, CHROMIUM_BINARY)], chromiumLibraryDirs);
}

/**
 * Debian's chromium for the browser tests: CHROMIUM_BIN, else the one `npm test` fetched into
 * the cache, with `libraryPath` for LD_LIBRARY_PATH. When there is none, `missing` says what to do.
 */
export function chromiumBinary() {
  const override = process.env.CHROMIUM_BIN;
  if (override) return existsSync(override) ? { executable: override, libraryPath: [] } : { missing: `CHROMIUM_BIN is ${JSON.stringify(override)}, which does not exist` };
  const executable = join(CHROMIUM_TREE, CHROMIUM_BINARY);
  if (existsSync(executable)) return { executable, libraryPath: chromiumLibraryDirs(CHROMIUM_TREE) };
  return { missing: notFetched('chromium', 'chromium', 'CHROMIUM_BIN') };
}

/** Fetches a package's own tree: the package alone. */
const fetchAlone = (debianPackage) => (work, tree) => unpack([debianPackage], work, tree);

const NEEDED = [
  { name: 'prometheus', override: 'PROMETHEUS_BIN', present: () => existsSync(cachedBinary('prometheus', 'prometheus')), fetch: fetchAlone('prometheus') },
  {
    name: 'prometheus-alertmanager',
    override: 'ALERTMANAGER_BIN',
    present: () => existsSync(cachedBinary('prometheus-alertmanager', 'prometheus-alertmanager')),
    fetch: fetchAlone('prometheus-alertmanager'),
  },
  { name: 'postgresql', override: 'POSTGRES_BIN_DIR', present: () => cachedPostgresBinDir() !== undefined, fetch: fetchPostgres },
  { name: 'chromium', override: 'CHROMIUM_BIN', present: () => existsSync(join(CHROMIUM_TREE, CHROMIUM_BINARY)), fetch: fetchChromium },
];

/** Builds a server's tree in a scratch directory; throws with the failing command's own words. */
function fetchServer({ name, fetch }) {
  const work = mkdtempSync(join(CACHE, `.${name}-`));
  try {
    const tree = join(work, 'root');
    mkdirSync(tree);
    fetch(work, tree);
    // Renamed into place only when complete, so that an interrupted run fetches again.
    rmSync(join(CACHE, name), { recursive: true, force: true });
    renameSync(tree, join(CACHE, name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ensure() {
  const missing = NEEDED.filter(({ override, present }) => !process.env[override] && !present());
  if (missing.length === 0) return;
  mkdirSync(CACHE, { recursive: true });
  for (const server of missing) {
    const failure = join(CACHE, `${server.name}.failed`);
    console.log(`fetching Debian's ${server.name} into .cache/debian for the end-to-end tests (apt-get download, nothing installed)...`);
    try {
      fetchServer(server);
      rmSync(failure, { force: true });
    } catch (error) {
      const said = String(error.stderr || error.message).trim();
      writeFileSync(failure, `${said}\n`);
      console.warn(
        `could not fetch Debian's ${server.name} (${said}): if the apt package lists are missing, run \`apt-get update\` as root, then npm test again; or set ${server.override}. The tests that need it will say so.`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensure();
