// Fetches the real servers the end-to-end tests start (today Debian's `prometheus`, which
// brings promtool too) into the repository's own .cache/debian/, so that `npm install &&
// npm test` needs nothing installed by hand and installs nothing on the system: `apt-get
// download` and `dpkg -x` need no root, and no service is registered. They need the apt package
// lists; when those are missing this says so (CI refreshes them first) and the tests report
// what is missing. An override variable (PROMETHEUS_BIN) skips the download.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(root, '.cache', 'debian');

const NEEDED = [{ binary: 'prometheus', override: 'PROMETHEUS_BIN', debianPackage: 'prometheus' }];

/** Where the binary of a Debian package lands in the cache, whether it is there or not. */
function cachedBinary(debianPackage, binary) {
  return join(CACHE, debianPackage, 'usr', 'bin', binary);
}

/** The binary of a Debian package for the tests: the cached one, else the name (found on the PATH). */
export function testBinary(debianPackage, binary) {
  const cached = cachedBinary(debianPackage, binary);
  return existsSync(cached) ? cached : binary;
}

/** Downloads a Debian package and unpacks it into the cache; throws with apt-get's own words. */
function fetchPackage(debianPackage) {
  const work = mkdtempSync(join(CACHE, `.${debianPackage}-`));
  try {
    execFileSync('apt-get', ['download', '-q', debianPackage], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const deb = readdirSync(work).find((file) => file.endsWith('.deb'));
    execFileSync('dpkg', ['-x', join(work, deb), join(work, 'root')]);
    // Renamed into place only when complete, so that an interrupted run fetches again.
    rmSync(join(CACHE, debianPackage), { recursive: true, force: true });
    renameSync(join(work, 'root'), join(CACHE, debianPackage));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ensure() {
  const missing = NEEDED.filter(({ override, debianPackage, binary }) => !process.env[override] && !existsSync(cachedBinary(debianPackage, binary)));
  if (missing.length === 0) return;
  mkdirSync(CACHE, { recursive: true });
  for (const { debianPackage, override } of missing) {
    console.log(`fetching Debian's ${debianPackage} into .cache/debian for the end-to-end tests (apt-get download, nothing installed)...`);
    try {
      fetchPackage(debianPackage);
    } catch (error) {
      const said = String(error.stderr ?? error.message).trim();
      console.warn(
        `could not fetch Debian's ${debianPackage} (${said}): if the apt package lists are missing, run \`apt-get update\` as root, then npm test again; or set ${override}. The tests that need it will say so.`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensure();
