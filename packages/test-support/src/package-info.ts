import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** What a module definition is matched on: the package's real name and its installed version. */
export interface PackageInfo {
  /** The `name` in its package.json: `opossum` for the alias `opossum-v6`. */
  name: string;
  version: string;
}

/**
 * The real name and version of an installed package, aliases included. Packages resolve from
 * the workspace root, where npm hoists every package's test dependencies and their aliases. The
 * package.json is looked up where Node would look for the package, since an `exports` map may
 * not list it.
 */
export function packageInfo(pkg: string): PackageInfo {
  const file = (require.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg, 'package.json')).find((path) => existsSync(path));
  if (file === undefined) throw new Error(`${pkg} is not installed`);
  const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as PackageInfo;
  return { name, version };
}
