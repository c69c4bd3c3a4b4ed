// The npm pack lifecycle of a published package, run in its folder by its prepack and postpack
// scripts (npm pack, npm publish and lerna publish all run them). prepack copies the
// repository's LICENSE in and removes the `@dyntel/source` export condition from package.json:
// it points at src/, which is not published, and npm has no publishConfig for exports.
// postpack puts the package.json back as it was.
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_CONDITION = '@dyntel/source';
const LICENSE = 'LICENSE';
const MANIFEST = 'package.json';
// Where prepack keeps the package.json as written, for postpack to restore.
const KEPT = 'package.json.unpacked';

/** The exports map without the source condition, at any depth. */
export function withoutSourceCondition(exportsMap) {
  if (typeof exportsMap !== 'object' || exportsMap === null) return exportsMap;
  if (Array.isArray(exportsMap)) return exportsMap.map(withoutSourceCondition);
  return Object.fromEntries(
    Object.entries(exportsMap)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

/** The manifest as published: no source condition, no src/ entries in sideEffects. */
export function publishedManifest(manifest) {
  const published = { ...manifest, exports: withoutSourceCondition(manifest.exports) };
  if (Array.isArray(manifest.sideEffects)) published.sideEffects = manifest.sideEffects.filter((path) => !path.startsWith('./src/'));
  return published;
}

function prepack(dir, root) {
  // A pack that failed before postpack left the kept manifest behind: it is the original.
  if (!existsSync(join(dir, KEPT))) renameSync(join(dir, MANIFEST), join(dir, KEPT));
  const manifest = JSON.parse(readFileSync(join(dir, KEPT), 'utf8'));
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
  copyFileSync(join(root, LICENSE), join(dir, LICENSE));
}

function postpack(dir) {
  if (existsSync(join(dir, KEPT))) renameSync(join(dir, KEPT), join(dir, MANIFEST));
  rmSync(join(dir, LICENSE), { force: true });
}

const [step] = process.argv.slice(2);
if (step === 'prepack') prepack(process.cwd(), join(import.meta.dirname, '..'));
else if (step === 'postpack') postpack(process.cwd());
else if (step !== undefined) throw new TypeError(`pack-manifest: invalid step: ${step}; expected prepack or postpack`);
