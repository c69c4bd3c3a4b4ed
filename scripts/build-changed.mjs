// Builds the packages whose build is missing or older than what it is built from, and only
// those (`npm run demo` runs it, so that starting the demo again costs no build). A package's
// inputs are its src/, package.json and tsup.config.ts, and the build settings every package
// shares; its build is its dist/, dated by its oldest file. The builds are unbundled, so a
// package never needs rebuilding because a dependency was rebuilt.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED_INPUTS = ['tsup.base.ts', 'tsconfig.base.json'];
const PACKAGE_INPUTS = ['src', 'package.json', 'tsup.config.ts'];

/** Modification times (ms) of a file, or of every file below a folder; none when it is missing. */
function mtimes(path) {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs);
}

/** Whether the package in `dir` has no build, or one older than any of its inputs or `sharedInputs`. */
export function needsBuild(dir, sharedInputs = SHARED_INPUTS.map((file) => join(root, file))) {
  const built = mtimes(join(dir, 'dist'));
  if (built.length === 0) return true;
  const inputs = [...PACKAGE_INPUTS.map((file) => join(dir, file)), ...sharedInputs].flatMap(mtimes);
  return Math.max(...inputs) > Math.min(...built);
}

function buildChanged() {
  const packagesDir = join(root, 'packages');
  const stale = readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ dir, manifest }) => manifest.scripts?.build !== undefined && needsBuild(dir));
  if (stale.length === 0) {
    console.log('every package is built from its current sources');
    return;
  }
  const scopes = stale.flatMap(({ manifest }) => ['--scope', manifest.name]);
  execFileSync('lerna', ['run', 'build', '--stream', ...scopes], { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildChanged();
