import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NodeChildOptions } from './child-process';

/** The shared preload: in-memory providers, one instrumentation through the real hooks, `report()`. */
export const TELEMETRY_PRELOAD = fileURLToPath(new URL('../fixtures/telemetry.cjs', import.meta.url));

/** Which built instrumentation the preload registers, and how the child loads the preload. */
export interface TelemetrySpec {
  /** The package, resolved as an application would: its built `dist/`. */
  module: string;
  /** The name of the instrumentation class it exports. */
  exportName: string;
  loader: '--require' | '--import';
}

/**
 * Child options with the telemetry preload in front: the fixture calls
 * `globalThis.__telemetry.report(extra)` to print its `RESULT` line. Throws, saying what to build,
 * when the package has no build.
 */
export function withTelemetry(spec: TelemetrySpec, options: NodeChildOptions): NodeChildOptions {
  assertBuilt(spec.module);
  return {
    ...options,
    nodeArgs: [spec.loader, TELEMETRY_PRELOAD, ...(options.nodeArgs ?? [])],
    env: { ...options.env, DYNTEL_TEST_INSTRUMENTATION: `${spec.module}#${spec.exportName}` },
  };
}

/** Child processes load a package's `dist/`, as users do; a missing build fails here, by name. */
export function assertBuilt(pkg: string): void {
  try {
    createRequire(TELEMETRY_PRELOAD).resolve(pkg);
  } catch (error) {
    throw new Error(`${pkg} has no build: run \`npm run build -w ${pkg}\` before the child-process tests (npm test does)`, { cause: error });
  }
}
