// The OpenAI Agents SDK cases: the seed workflow on the scripted model (no network) bare, with
// the SDK floor by hand as a tracing processor, instrumented, and the floor alone, in each SDK
// set-up. Bare is the SDK with its tracing on and no processor, as an application that exports
// nothing to OpenAI runs it.
import { createRequire } from 'node:module';
import type { BenchCase } from '@dyntel/bench-kit';
import { METRIC_GEN_AI_INVOKE_AGENT_DURATION, METRIC_GEN_AI_WORKFLOW_DURATION } from '@dyntel/semconv';
import { runSupportWorkflow, type AgentsCoreModule } from '../test/support/openai.ts';
import { instrumentationOn, patchRequired } from './instrument.ts';
import { metricTotals } from './metric-totals.ts';
import { floorAlone, floorProcessor } from './openai-floor.ts';
import { agentsSdk, type AgentsSetup } from './sdk.ts';
import { SETUPS } from './xstate-cases.ts';

const require = createRequire(import.meta.url);
const sdk = require('@openai/agents-core') as AgentsCoreModule;
sdk.setTracingDisabled(false);

/** The SDK spans and traces of one run: 1 trace, 2 agents, 3 turns, 3 generations, a guardrail, a task, a handoff, a tool. */
export const SDK_SPANS_PER_RUN = 13;

/** Case names. */
export const OPENAI_BARE = 'openai agents, seed workflow run';
export const openaiByHand = (setup: AgentsSetup) => `${OPENAI_BARE} + SDK floor by hand (${setup})`;
export const openaiDyntel = (setup: AgentsSetup) => `${OPENAI_BARE} + dyntel (${setup})`;
export const openaiFloor = (setup: AgentsSetup) => `floor: one run's spans and metrics (${setup})`;

let runs = 0;
let checks = 0;

/** How many instrumented cases had every run and agent recorded. */
export const openaiChecks = () => checks;

const run = async () => {
  runs += 1;
  const outcome = await runSupportWorkflow(sdk);
  if (outcome.lastAgent !== 'Specialist') throw new Error(`the seed workflow ended with ${JSON.stringify(outcome)}`);
};

/** Every OpenAI Agents case. */
export function openaiCases(): BenchCase[] {
  return [
    { name: OPENAI_BARE, run, setup: () => sdk.setTraceProcessors([]) },
    ...SETUPS.map(
      (setup): BenchCase => ({
        name: openaiByHand(setup),
        run,
        bare: OPENAI_BARE,
        setup: () => {
          sdk.setTraceProcessors([floorProcessor(agentsSdk(setup)) as never]);
          return () => sdk.setTraceProcessors([]);
        },
      }),
    ),
    ...SETUPS.map(
      (setup): BenchCase => ({
        name: openaiDyntel(setup),
        run,
        bare: OPENAI_BARE,
        setup: () => {
          sdk.setTraceProcessors([]);
          const benchSdk = agentsSdk(setup);
          const unpatch = patchRequired(instrumentationOn(benchSdk, false), '@openai/agents-core');
          const before = runs;
          return async () => {
            unpatch();
            const made = runs - before;
            const totals = await metricTotals(benchSdk.metricReader, [METRIC_GEN_AI_WORKFLOW_DURATION, METRIC_GEN_AI_INVOKE_AGENT_DURATION]);
            const [workflows, agents] = [totals.get(METRIC_GEN_AI_WORKFLOW_DURATION), totals.get(METRIC_GEN_AI_INVOKE_AGENT_DURATION)];
            if (workflows !== made || agents !== 2 * made) throw new Error(`${openaiDyntel(setup)}: ${workflows} workflows and ${agents} agents recorded, ${made} runs made`);
            checks += 1;
          };
        },
      }),
    ),
    ...SETUPS.map((setup): BenchCase => ({ name: openaiFloor(setup), run: floorAlone(agentsSdk(setup)) })),
  ];
}
