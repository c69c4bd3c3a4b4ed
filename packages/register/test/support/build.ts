import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The children load the built package (`dist/`), as users do. `npm test` builds first; a
 * direct `vitest run` on a fresh clone builds here once.
 */
export function ensureBuilt(): void {
  if (existsSync(`${PACKAGE}dist/index.cjs`) && existsSync(`${PACKAGE}dist/esm.js`)) return;
  execFileSync('npm', ['run', 'build', '-w', '@dyntel/register'], { cwd: `${PACKAGE}../..`, stdio: 'inherit' });
}
