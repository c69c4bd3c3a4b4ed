// The OpenAI Agents SDK's bare, floor-by-hand and instrumented runs of the seed workflow,
// measured as paired samples: each round runs the workflow once in each of the three, one
// after the other in an order that rotates from round to round, each run timed on its own, so
// that whatever slows the machine for a while (other processes, the heap's size, the JIT)
// reaches the three alike and cancels in the differences taken within the round. Medians
// rather than means: the runs that a major collection (several times a run's time) lands in
// are few and fall on any of the three, and the bytes each allocates are counted apart.
import { createRequire } from 'node:module';
import { countAllocations, type Allocation } from '@dyntel/bench-kit';
import { METRIC_GEN_AI_INVOKE_AGENT_DURATION, METRIC_GEN_AI_WORKFLOW_DURATION } from '@dyntel/semconv';
import { runSupportWorkflow, type AgentsCoreModule } from '../test/support/openai.ts';
import { instrumentationOn, patchingOf } from './instrument.ts';
import { metricTotals } from './metric-totals.ts';
import { floorProcessor } from './openai-floor.ts';
import { medianInterval, type MedianInterval } from './paired-statistics.ts';
import { agentsSdk, type AgentsSetup } from './sdk.ts';

const require = createRequire(import.meta.url);
const sdk = require('@openai/agents-core') as AgentsCoreModule;
sdk.setTracingDisabled(false);

/** The SDK spans and traces of one run: 1 trace, 2 agents, 3 turns, 3 generations, a guardrail, a task, a handoff, a tool. */
export const SDK_SPANS_PER_RUN = 13;

/** The three ways a round runs the workflow. */
export type Variant = 'bare' | 'by hand' | 'dyntel';
const VARIANTS: readonly Variant[] = ['bare', 'by hand', 'dyntel'];
// Every order of the three, so that each comes first, second and last equally often.
const ORDERS: readonly (readonly Variant[])[] = [0, 1, 2, 3, 4, 5].map((n) => {
  const rest = [...VARIANTS];
  const first = rest.splice(n >> 1, 1);
  return [...first, ...(n % 2 === 0 ? rest : rest.reverse())];
});

/** How the paired samples are taken. */
export interface PairedOptions {
  /** Rounds kept per set-up: one run of each variant. */
  rounds: number;
  /** Rounds run first and dropped (the JIT settling). */
  warmupRounds: number;
  /** Runs over which each variant's allocations are counted, after the rounds. */
  allocationRuns: number;
}

/** What the paired samples of one set-up measured, in microseconds per run. */
export interface PairedResult {
  setup: AgentsSetup;
  bare: MedianInterval;
  byHand: MedianInterval;
  dyntel: MedianInterval;
  /** By hand − bare, within each round: the floor by hand. */
  floorByHand: MedianInterval;
  /** Dyntel − bare, within each round. */
  added: MedianInterval;
  /** Dyntel − by hand, within each round: our own cost above the SDK floor. */
  aboveFloor: MedianInterval;
  /** Bytes allocated per run, of each variant. */
  bytes: Record<Variant, number>;
}

// The process's CPU time in microseconds, of every thread: the collector's and compiler's
// helper threads do work the run caused too.
const cpuMicros = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * The SDK's own `setProcessors` and context-storage `run`, under the wrappers the attachment
 * keeps on them once it has attached (they stay for the process): bare and by hand run without
 * them, so that neither pays for an attachment forwarding to nothing. The storage's `run` is
 * swapped in place, not deleted, so that the storage keeps one shape for every variant.
 */
function withoutAttachment(processors: unknown[]): () => void {
  const provider = sdk.getGlobalTraceProvider() as unknown as { setProcessors(p: unknown[]): void };
  (Object.getPrototypeOf(provider) as typeof provider).setProcessors.call(provider, processors);
  const storage = (globalThis as Record<symbol, { run: unknown } | undefined>)[Symbol.for('openai.agents.core.asyncLocalStorage')];
  if (storage === undefined || !Object.hasOwn(storage, 'run')) return () => undefined;
  const wrapped = storage.run;
  storage.run = (Object.getPrototypeOf(storage) as { run: unknown }).run;
  return () => {
    storage.run = wrapped;
  };
}

const run = async () => {
  const outcome = await runSupportWorkflow(sdk);
  if (outcome.lastAgent !== 'Specialist') throw new Error(`the seed workflow ended with ${JSON.stringify(outcome)}`);
};

/** One set-up's variants: each prepares the SDK for its runs and returns what undoes that. */
function variantsOf(setup: AgentsSetup) {
  const floor = floorProcessor(agentsSdk(setup));
  const benchSdk = agentsSdk(setup);
  const patching = patchingOf(instrumentationOn(benchSdk, false), '@openai/agents-core');
  let dyntelRuns = 0;
  const prepare: Record<Variant, () => () => void> = {
    bare: () => withoutAttachment([]),
    'by hand': () => withoutAttachment([floor]),
    dyntel: () => {
      patching.patch();
      // Through the attachment's wrapper: ours is kept first, alone here.
      sdk.setTraceProcessors([]);
      return patching.unpatch;
    },
  };
  return {
    prepare,
    counted: (runs: number) => (dyntelRuns += runs),
    /** Checks that every instrumented run and agent was recorded: each figure includes all its records. */
    async check(): Promise<void> {
      const totals = await metricTotals(benchSdk.metricReader, [METRIC_GEN_AI_WORKFLOW_DURATION, METRIC_GEN_AI_INVOKE_AGENT_DURATION]);
      const [workflows, agents] = [totals.get(METRIC_GEN_AI_WORKFLOW_DURATION), totals.get(METRIC_GEN_AI_INVOKE_AGENT_DURATION)];
      if (workflows !== dyntelRuns || agents !== 2 * dyntelRuns) throw new Error(`${setup}: ${workflows} workflows and ${agents} agents recorded, ${dyntelRuns} instrumented runs made`);
    },
  };
}

async function timeRun(): Promise<number> {
  const start = cpuMicros();
  await run();
  return cpuMicros() - start;
}

/** Paired samples of bare, by hand and dyntel in each set-up, the set-ups' rounds interleaved too. */
export async function pairedOpenAi(setups: readonly AgentsSetup[], options: PairedOptions): Promise<PairedResult[]> {
  const all = setups.map((setup) => ({ setup, variants: variantsOf(setup), times: { bare: [] as number[], 'by hand': [] as number[], dyntel: [] as number[] } }));
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    for (const { variants, times } of all) {
      for (const variant of ORDERS[round % ORDERS.length]!) {
        const undo = variants.prepare[variant]();
        const micros = await timeRun();
        undo();
        if (variant === 'dyntel') variants.counted(1);
        if (round >= options.warmupRounds) times[variant].push(micros);
      }
    }
  }
  const results: PairedResult[] = [];
  for (const { setup, variants, times } of all) {
    await variants.check();
    const bytes = {} as Record<Variant, number>;
    for (const variant of VARIANTS) {
      const undo = variants.prepare[variant]();
      const allocation: Allocation = await countAllocations(run, options.allocationRuns);
      undo();
      if (variant === 'dyntel') variants.counted(options.allocationRuns);
      bytes[variant] = allocation.bytesPerOp;
    }
    await variants.check();
    const difference = (a: Variant, b: Variant) => times[a].map((value, i) => value - times[b][i]!);
    results.push({
      setup,
      bare: medianInterval(times.bare),
      byHand: medianInterval(times['by hand']),
      dyntel: medianInterval(times.dyntel),
      floorByHand: medianInterval(difference('by hand', 'bare')),
      added: medianInterval(difference('dyntel', 'bare')),
      aboveFloor: medianInterval(difference('dyntel', 'by hand')),
      bytes,
    });
  }
  return results;
}
