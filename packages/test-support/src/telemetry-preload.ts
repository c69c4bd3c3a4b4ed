import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NodeChildOptions } from './child-process';
import { runFixture, type ChildReport } from './child-report';

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

/** How a package's fixture runs: Node flags, variables, binary, and whether the telemetry preload goes first (and how). */
export interface FixtureRunOptions extends Omit<NodeChildOptions, 'script' | 'cwd'> {
  telemetry?: TelemetrySpec['loader'];
}

/**
 * The fixture runner of one instrumentation package: runs a script of `fixturesDir` against the
 * built package (with the telemetry preload in front when `telemetry` says how) and resolves
 * with its `RESULT` report.
 */
export function fixtureRunner(instrumentation: Omit<TelemetrySpec, 'loader'>, fixturesDir: string): (script: string, options?: FixtureRunOptions) => Promise<ChildReport> {
  return (script, { telemetry, ...options } = {}) => {
    assertBuilt(instrumentation.module);
    const child = { ...options, script, cwd: fixturesDir };
    return runFixture(telemetry === undefined ? child : withTelemetry({ ...instrumentation, loader: telemetry }, child));
  };
}
