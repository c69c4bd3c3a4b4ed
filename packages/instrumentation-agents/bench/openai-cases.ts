// The OpenAI Agents SDK floor alone, in each SDK set-up: one run's span starts and ends and
// metrics replayed in a loop (synchronous, timed by tinybench). Bare, by hand and instrumented
// runs of the workflow are measured as paired samples (openai-paired.ts).
import type { BenchCase } from '@dyntel/bench-kit';
import { floorAlone } from './openai-floor.ts';
import { agentsSdk, type AgentsSetup } from './sdk.ts';
import { SETUPS } from './xstate-cases.ts';

/** Case names. */
export const openaiFloor = (setup: AgentsSetup) => `floor: one run's spans and metrics (${setup})`;

/** The floor-alone cases. */
export function openaiFloorCases(): BenchCase[] {
  return SETUPS.map((setup): BenchCase => ({ name: openaiFloor(setup), run: floorAlone(agentsSdk(setup)) }));
}
