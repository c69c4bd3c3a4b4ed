import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without declarations
import { needsBuild } from './build-changed.mjs';

/** A file at `path` last modified `secondsAgo` seconds ago. */
function file(path: string, secondsAgo: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  const time = Date.now() / 1000 - secondsAgo;
  utimesSync(path, time, time);
  return path;
}

/** A package folder with src/index.ts and package.json of the given ages, and dist files if given. */
function pkg(ages: { src: number; manifest?: number; dist?: number[] }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-build-'));
  file(join(dir, 'src', 'nested', 'index.ts'), ages.src);
  file(join(dir, 'package.json'), ages.manifest ?? 100);
  (ages.dist ?? []).forEach((age, i) => file(join(dir, 'dist', `file${i}.js`), age));
  return dir;
}

describe('needsBuild', () => {
  const shared = (age: number) => [file(join(mkdtempSync(join(tmpdir(), 'dyntel-shared-')), 'tsup.base.ts'), age)];

  it('builds a package without a build', () => {
    expect(needsBuild(pkg({ src: 50 }), shared(100))).toBe(true);
  });

  it('leaves a package alone whose build is newer than every input', () => {
    expect(needsBuild(pkg({ src: 50, dist: [10, 20] }), shared(100))).toBe(false);
  });

  it('builds when a source below src/ is newer than the oldest built file', () => {
    expect(needsBuild(pkg({ src: 15, dist: [10, 20] }), shared(100))).toBe(true);
  });

  it('builds when package.json or the shared build settings changed', () => {
    expect(needsBuild(pkg({ src: 50, manifest: 5, dist: [10] }), shared(100))).toBe(true);
    expect(needsBuild(pkg({ src: 50, dist: [10] }), shared(5))).toBe(true);
  });
});
