import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * npm's own script, found as a shell finds `npm` (the first on PATH) and resolved to the file
 * behind the link, so that the test's Node runs it: npm is a Node program like any other.
 */
export function npmCli(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const npm = join(dir, 'npm');
    if (dir !== '' && existsSync(npm)) return realpathSync(npm);
  }
  throw new Error('npm is not on PATH');
}
