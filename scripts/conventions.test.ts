// The conventions every package follows (root README, Develop): checked here so that a new
// package cannot drift from them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  sideEffects?: unknown;
  engines?: { node?: string };
  peerDependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

const packages = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
  .map((dir) => ({ dir: join(packagesDir, dir), manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest }));
const published = packages.filter((p) => p.manifest.private !== true);

// The TypeScript sources of a package's public entry points.
function entrySources(dir: string, manifest: Manifest): string[] {
  return Object.values(manifest.exports ?? {})
    .map((target) => (typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['@dyntel/source'] : undefined))
    .filter((source): source is string => typeof source === 'string')
    .map((source) => readFileSync(join(dir, source), 'utf8'));
}

// Every TypeScript source of a package but its tests.
function sources(dir: string): string[] {
  const src = join(dir, 'src');
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => readFileSync(join(src, file), 'utf8'));
}

describe.each(packages.map((p) => [p.manifest.name, p] as const))('%s', (_name, { dir, manifest }) => {
  it('declares sideEffects, the Apache-2.0 license and the Node floor', () => {
    expect(manifest.sideEffects).toBeDefined();
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.engines?.node).toBe('>=22.15.0');
  });

  it('takes @opentelemetry/api as a peer in the one range, if at all', () => {
    const range = manifest.peerDependencies?.['@opentelemetry/api'];
    if (range !== undefined) expect(range).toBe('^1.10.0');
  });

  it('names time options in milliseconds with a Millis suffix', () => {
    const offenders = sources(dir).flatMap((text) =>
      [...text.matchAll(/^\s+(?:readonly\s+)?(\w*(?:[Tt]imeout|[Ii]nterval|[Dd]elay|[Ww]indow))\??:\s*number/gm)].map((m) => m[1]),
    );
    expect(offenders).toEqual([]);
  });

  it('calls the option that redirects diagnostics report', () => {
    const offenders = sources(dir).flatMap((text) =>
      [...text.matchAll(/^\s+(?:readonly\s+)?(warn|onWarn|onWarning|onError|onDiagnostic|log|logger)\??:\s*\(message/gm)].map((m) => m[1]),
    );
    expect(offenders).toEqual([]);
  });

  it('names span hooks requestHook and responseHook, as opentelemetry-js-contrib does', () => {
    const hooks = sources(dir).flatMap((text) => [...text.matchAll(/^\s+(?:readonly\s+)?(\w+Hook)\??:/gm)].map((m) => m[1]));
    expect(hooks.filter((hook) => hook !== 'requestHook' && hook !== 'responseHook')).toEqual([]);
  });
});

describe.each(published.map((p) => [p.manifest.name, p] as const))('%s (published)', (_name, { dir, manifest }) => {
  it('exports PACKAGE_VERSION from an entry point', () => {
    expect(entrySources(dir, manifest).some((text) => /\bPACKAGE_VERSION\b/.test(text))).toBe(true);
  });
});
