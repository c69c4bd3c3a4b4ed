import type { Options } from 'tsup';

/**
 * Build settings shared by every package: CJS and ESM side by side with type declarations
 * for both, unbundled dependencies, Node 22.15 as the floor.
 */
export function packageBuild(entry: Record<string, string> = { index: 'src/index.ts' }): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    treeshake: false,
  };
}
