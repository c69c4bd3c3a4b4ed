// What a user installs: every published package packed as npm packs it, then one of them
// unpacked into a project of its own and imported under the source condition.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without declarations
import { publishedManifest } from './pack-manifest.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
const published = readdirSync(packagesDir)
  .map((dir) => join(packagesDir, dir))
  .filter((dir) => existsSync(join(dir, 'package.json')) && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true);

/** Packs the package in `dir` as `npm pack` does and unpacks the tarball into a new folder. */
function packAndUnpack(dir: string): string {
  const out = mkdtempSync(join(tmpdir(), 'dyntel-pack-'));
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as [{ filename: string }];
  const unpacked = join(out, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', join(out, filename), '-C', unpacked, '--strip-components=1']);
  return unpacked;
}

describe('publishedManifest', () => {
  it('drops the source condition at every depth and src/ from sideEffects', () => {
    const manifest = {
      exports: { '.': { '@dyntel/source': './src/index.ts', import: { types: './dist/index.d.ts', default: './dist/index.js' } }, './package.json': './package.json' },
      sideEffects: ['./dist/index.*', './src/index.ts'],
    };
    expect(publishedManifest(manifest)).toEqual({
      exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } }, './package.json': './package.json' },
      sideEffects: ['./dist/index.*'],
    });
  });
});

describe.each(published.map((dir) => [dir.slice(packagesDir.length + 1), dir] as const))('packed %s', (_name, dir) => {
  it('ships the LICENSE and no source condition, and leaves the package folder as it was', () => {
    const manifestBefore = readFileSync(join(dir, 'package.json'), 'utf8');
    const unpacked = packAndUnpack(dir);
    expect(readFileSync(join(unpacked, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    expect(readFileSync(join(unpacked, 'package.json'), 'utf8')).not.toContain('@dyntel/source');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(manifestBefore);
    expect(existsSync(join(dir, 'LICENSE'))).toBe(false);
  });
});

describe('an installed package', () => {
  it('imports under the source condition (it resolves to dist/, which is published)', async () => {
    const unpacked = packAndUnpack(join(packagesDir, 'semconv'));
    expect(existsSync(join(unpacked, 'dist', 'index.js')), 'run `npm run build -w @dyntel/semconv` first').toBe(true);
    const project = mkdtempSync(join(tmpdir(), 'dyntel-project-'));
    mkdirSync(join(project, 'node_modules', '@dyntel'), { recursive: true });
    mkdirSync(join(project, 'node_modules', '@opentelemetry'));
    // Its peer, as npm would install it.
    symlinkSync(join(root, 'node_modules', '@opentelemetry', 'api'), join(project, 'node_modules', '@opentelemetry', 'api'));
    renameSync(unpacked, join(project, 'node_modules', '@dyntel', 'semconv'));
    writeFileSync(join(project, 'main.mjs'), "import { PACKAGE_NAME } from '@dyntel/semconv';\nconsole.log(PACKAGE_NAME);\n");
    const run = await runNode({ cwd: project, script: 'main.mjs', nodeArgs: ['--conditions=@dyntel/source'] });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('@dyntel/semconv');
  });
});
