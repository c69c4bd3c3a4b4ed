// One copy of each OpenTelemetry SDK package in a user's application: the SDK packages pin one
// another exactly, so a published dyntel package that asks for a caret range gets the newest
// patch beside the copy @opentelemetry/sdk-node pins, and objects handed across the two fail
// instanceof checks. Every published package therefore takes the versions sdk-node pins (the
// register entry assembles the SDK itself: sdk-node is only its devDependency, the reference).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { name: string; version: string; private?: boolean; dependencies?: Record<string, string> };

const register = read(join(packagesDir, 'register', 'package.json')) as ReturnType<typeof read> & { devDependencies?: Record<string, string> };
const sdkNode = read(join(root, 'node_modules', '@opentelemetry', 'sdk-node', 'package.json'));
const published = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
  .map((dir) => read(join(packagesDir, dir, 'package.json')))
  .filter((manifest) => manifest.private !== true);

describe('OpenTelemetry SDK versions', () => {
  it('register pins @opentelemetry/sdk-node to the installed version, for its tests only (users never install it for us)', () => {
    expect(register.devDependencies?.['@opentelemetry/sdk-node']).toBe(sdkNode.version);
    expect(register.dependencies?.['@opentelemetry/sdk-node']).toBeUndefined();
  });

  it.each(published.map((manifest) => [manifest.name, manifest] as const))('%s depends on the versions sdk-node pins', (_name, manifest) => {
    const pins = sdkNode.dependencies ?? {};
    const shared = Object.entries(manifest.dependencies ?? {}).filter(([name]) => name in pins);
    expect(Object.fromEntries(shared)).toEqual(Object.fromEntries(shared.map(([name]) => [name, pins[name]])));
  });
});
