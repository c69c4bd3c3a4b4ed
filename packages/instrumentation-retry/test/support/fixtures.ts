import { fileURLToPath } from 'node:url';
import { assertBuilt, runFixture, withTelemetry, type ChildReport, type NodeChildOptions, type TelemetrySpec } from '@dyntel/test-support';

/** The child-process fixtures, and their working directory. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The built package's instrumentation, as the shared telemetry preload registers it. */
export const RETRY_INSTRUMENTATION: Omit<TelemetrySpec, 'loader'> = {
  module: '@dyntel/instrumentation-retry',
  exportName: 'RetryInstrumentation',
};

/** How a fixture runs: Node flags, variables, binary, and whether the telemetry preload goes first (and how). */
export interface RetryFixtureOptions extends Omit<NodeChildOptions, 'script' | 'cwd'> {
  telemetry?: TelemetrySpec['loader'];
}

/** Runs a fixture against the built package and resolves with its `RESULT` report. */
export function runRetryFixture(script: string, { telemetry, ...options }: RetryFixtureOptions = {}): Promise<ChildReport> {
  assertBuilt(RETRY_INSTRUMENTATION.module);
  const child = { ...options, script, cwd: FIXTURES };
  return runFixture(telemetry === undefined ? child : withTelemetry({ ...RETRY_INSTRUMENTATION, loader: telemetry }, child));
}
