import { fileURLToPath } from 'node:url';
import { fixtureRunner, type FixtureRunOptions, type TelemetrySpec } from '@dyntel/test-support';

/** The child-process fixtures, and their working directory. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The built package's instrumentation, as the shared telemetry preload registers it. */
export const BREAKER_INSTRUMENTATION: Omit<TelemetrySpec, 'loader'> = {
  module: '@dyntel/instrumentation-circuit-breaker',
  exportName: 'CircuitBreakerInstrumentation',
};

/** How a fixture runs: Node flags, variables, binary, and whether the telemetry preload goes first (and how). */
export type BreakerFixtureOptions = FixtureRunOptions;

/** Runs a fixture against the built package and resolves with its `RESULT` report. */
export const runBreakerFixture = fixtureRunner(BREAKER_INSTRUMENTATION, FIXTURES);
