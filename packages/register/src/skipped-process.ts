import { EnvReader, type Env } from './env-reader';
import { DYNTEL_SKIP_PROCESSES } from './env-variables';

/**
 * Which of the processes to skip (DYNTEL_SKIP_PROCESSES, by default the tools of
 * `SKIPPED_PROCESSES`) the main script `mainPath` (`process.argv[1]`) belongs to; undefined for
 * the application. A name matches a script called by it, with `-cli` or a version after it
 * (`npm`, `npm-cli.js`, `yarn-4.5.0.cjs`), or any script in a package of that name
 * (`…/node_modules/tsup/dist/cli-default.js`). The path is as the command was typed: a link
 * such as `/usr/bin/npm` is not resolved.
 */
export function skippedProcess(mainPath: string | undefined, env: Env = process.env): string | undefined {
  if (mainPath === undefined) return undefined;
  const names = new EnvReader(env).value(DYNTEL_SKIP_PROCESSES);
  if (names.includes('none')) return undefined;
  const path = mainPath.replaceAll('\\', '/');
  const script = path.slice(path.lastIndexOf('/') + 1).replace(/\.[cm]?js$/, '');
  // The script's own name first: npx-cli.js is npx, though it ships in the npm package.
  return names.find((name) => script === name || script === `${name}-cli` || versioned(script, name)) ?? names.find((name) => path.includes(`/node_modules/${name}/`));
}

/** `yarn-4.5.0` for `yarn`: a release file named by its version. */
function versioned(script: string, name: string): boolean {
  return script.startsWith(`${name}-`) && /^\d/.test(script.slice(name.length + 1));
}
