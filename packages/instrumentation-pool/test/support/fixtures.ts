import { fileURLToPath } from 'node:url';
import { fixtureRunner } from '@dyntel/test-support';

/** The child-process fixtures, and their working directory. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Runs a fixture against the built package and resolves with its `RESULT` report. */
export const runPoolFixture = fixtureRunner({ module: '@dyntel/instrumentation-pool', exportName: 'PoolInstrumentation' }, FIXTURES);
