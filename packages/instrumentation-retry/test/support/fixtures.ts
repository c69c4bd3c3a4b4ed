import { fileURLToPath } from 'node:url';
import { fixtureRunner, type FixtureRunOptions, type TelemetrySpec } from '@dyntel/test-support';

/** The child-process fixtures, and their working directory. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The built package's instrumentation, as the shared telemetry preload registers it. */
export const RETRY_INSTRUMENTATION: Omit<TelemetrySpec, 'loader'> = {
  module: '@dyntel/instrumentation-retry',
  exportName: 'RetryInstrumentation',
};

/** How a fixture runs: Node flags, variables, binary, and whether the telemetry preload goes first (and how). */
export type RetryFixtureOptions = FixtureRunOptions;

/** Runs a fixture against the built package and resolves with its `RESULT` report. */
export const runRetryFixture = fixtureRunner(RETRY_INSTRUMENTATION, FIXTURES);
