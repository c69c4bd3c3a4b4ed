import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inheritedEnv } from './child-env';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How an npm command in a user project ended, with everything it printed. */
export interface NpmRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm <args>` in `cwd` with the clean environment of {@link inheritedEnv}; never rejects on a failing command. */
export function runNpm(cwd: string, args: string[]): Promise<NpmRun> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd, env: inheritedEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

async function npmOrThrow(cwd: string, args: string[]): Promise<string> {
  const run = await runNpm(cwd, args);
  if (run.code !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} failed (${run.code}):\n${run.stderr}`);
  return run.stdout;
}

let packed: Promise<string[]> | undefined;

/**
 * Every published package packed as npm packs it (its built `dist/`, its prepack step), once per
 * process: the tarball paths. Each is packed from a copy beside a copy of the repository's pack
 * script and LICENSE, since prepack rewrites package.json in place and other tests or editors
 * may be reading it. A package without a build fails here, by name.
 */
function packPublishedPackages(): Promise<string[]> {
  packed ??= (async () => {
    const stage = mkdtempSync(join(tmpdir(), 'dyntel-pack-stage-'));
    const out = join(stage, 'tarballs');
    mkdirSync(out);
    mkdirSync(join(stage, 'scripts'));
    cpSync(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
    cpSync(join(ROOT, 'scripts', 'pack-manifest.mjs'), join(stage, 'scripts', 'pack-manifest.mjs'));
    const tarballs: string[] = [];
    for (const name of readdirSync(join(ROOT, 'packages'))) {
      const dir = join(ROOT, 'packages', name);
      if (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private === true) continue;
      if (!existsSync(join(dir, 'dist'))) throw new Error(`packages/${name} has no build: run \`npm run build\` first (npm test does)`);
      const copy = join(stage, 'packages', name);
      cpSync(dir, copy, { recursive: true, filter: (source) => !source.startsWith(join(dir, 'node_modules')) });
      const [{ filename }] = JSON.parse(await npmOrThrow(copy, ['pack', '--json', '--pack-destination', out])) as [{ filename: string }];
      tarballs.push(join(out, filename));
    }
    return tarballs;
  })();
  return packed;
}

/**
 * A copy of the project in `projectDir` (without node_modules and the `exclude`d paths, relative
 * to it) in a new temporary folder, with its dependencies installed from the registry and every
 * dyntel package from its packed tarball: the project as a user has it. Returns the folder.
 */
export async function installUserProject(projectDir: string, options: { exclude?: readonly string[] } = {}): Promise<string> {
  const skipped = new Set(['node_modules', ...(options.exclude ?? [])].map((path) => join(projectDir, path)));
  const copy = mkdtempSync(join(tmpdir(), 'dyntel-user-project-'));
  cpSync(projectDir, copy, { recursive: true, filter: (source) => !skipped.has(source) });
  await npmOrThrow(copy, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...(await packPublishedPackages())]);
  return copy;
}
