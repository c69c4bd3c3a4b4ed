import { fileURLToPath } from 'node:url';
import { fixtureRunner, type TelemetrySpec } from '@dyntel/test-support';

/** The child-process fixtures, and their working directory. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The built package's instrumentation, as the shared telemetry preload registers it. */
export const AGENTS_INSTRUMENTATION: Omit<TelemetrySpec, 'loader'> = {
  module: '@dyntel/instrumentation-agents',
  exportName: 'AgentsInstrumentation',
};

/** Runs a fixture against the built package and resolves with its `RESULT` report. */
export const runAgentsFixture = fixtureRunner(AGENTS_INSTRUMENTATION, FIXTURES);
