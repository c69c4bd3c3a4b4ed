/**
 * Decision cost of @dyntel/sampler against the SDK's samplers and sampler-composite, in one
 * run, with allocation counts (the drop path must allocate nothing). Run with
 * `npm run bench -w @dyntel/sampler` (builds first; passes `--expose-gc`, so that allocation
 * counts start from a collected heap).
 */
import { RESULTS_LEGEND, benchEnvironment, resultsTable, runCases, type BenchCase, type CaseResult } from '@dyntel/bench-kit';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  createComposableAlwaysOnSampler,
  createComposableParentThresholdSampler,
  createComposableProbabilitySampler,
  createCompositeSampler,
} from '@opentelemetry/sampler-composite';
import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { DyntelSampler, alwaysOff, alwaysOn, oneIn, probability, spansPerSecond, type NameMatcher } from '@dyntel/sampler';

// Each measured call runs a batch, so that timer resolution does not swamp ~10 ns operations.
const BATCH = 1000;
const IDS = 1024;

let seed = 0x2545f491;
function random32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const hex = (words: number): string => Array.from({ length: words }, () => random32().toString(16).padStart(8, '0')).join('');
const traceIds = Array.from({ length: IDS }, () => hex(4));

// Shared arguments, so that the harness itself allocates nothing per call; the sink stays a
// small integer for the same reason.
const NO_ATTRIBUTES = {};
const NO_LINKS: [] = [];
let sink = 0;
function decisions(sampler: Sampler, contexts: readonly Context[], ids: readonly string[]): () => void {
  const mask = ids.length - 1;
  const contextMask = contexts.length - 1;
  let i = 0;
  return () => {
    for (let n = 0; n < BATCH; n++) {
      const k = i++ & mask;
      sink ^= sampler.shouldSample(contexts[k & contextMask]!, ids[k]!, 'op', SpanKind.INTERNAL, NO_ATTRIBUTES, NO_LINKS).decision;
    }
  };
}

function parentContext(traceId: string, sampled: boolean, traceState?: TraceState): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: hex(2),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    traceState,
  });
}

// Children of a parent sampled at 10% by a conformant SDK: sampled flag and `ot=th:e666`,
// trace ids with R >= 0xe666... (an `f` as the first randomness digit).
const TH = 'e666';
const sampledParentIds = traceIds.map((id) => `${id.slice(0, 18)}f${id.slice(19)}`);
const oneParent = [parentContext(sampledParentIds[0]!, true, new TraceState(`ot=th:${TH}`))];
const oneParentIds = [sampledParentIds[0]!];
const manyParents = sampledParentIds.map((id) => parentContext(id, true, new TraceState(`ot=th:${TH}`)));

const ratio = new TraceIdRatioBasedSampler(0.1);
// Typical rules in front of the fallback: a kind, two names and an attribute that do not match.
const rulesSampler = new DyntelSampler({
  root: probability(0.1),
  rules: [
    { match: { spanKind: SpanKind.SERVER, attributes: { 'url.path': { included: ['/health*'] } } }, policy: alwaysOff() },
    { match: { spanName: { prefix: 'circuit_breaker.' } }, policy: spansPerSecond(100) },
    { match: { spanName: ['retry.call', 'retry.attempt'] }, policy: oneIn(10) },
    { match: { attributes: { tier: 'gold' } }, policy: alwaysOn() },
  ],
});
/** Cases compared with one baseline; `perCall` operations per measured call (default BATCH). */
interface Group {
  name: string;
  baseline: string;
  tasks: [string, () => void][];
  perCall?: number;
}
const OPTIONS = { bench: { time: 600, warmupTime: 200 }, statistic: 'median' } as const;

const groups: Group[] = [
  {
    name: 'root decision, p = 0.1',
    baseline: 'TraceIdRatioBasedSampler',
    tasks: [
      ['TraceIdRatioBasedSampler', decisions(ratio, [ROOT_CONTEXT], traceIds)],
      ['ParentBasedSampler(TraceIdRatioBased)', decisions(new ParentBasedSampler({ root: ratio }), [ROOT_CONTEXT], traceIds)],
      ['sampler-composite probability', decisions(createCompositeSampler(createComposableProbabilitySampler(0.1)), [ROOT_CONTEXT], traceIds)],
      ['DyntelSampler probability', decisions(new DyntelSampler({ root: probability(0.1) }), [ROOT_CONTEXT], traceIds)],
      ['DyntelSampler 4 rules that miss, then probability', decisions(rulesSampler, [ROOT_CONTEXT], traceIds)],
      ['DyntelSampler spans_per_second(1000), real clock', decisions(new DyntelSampler({ root: spansPerSecond(1000) }), [ROOT_CONTEXT], traceIds)],
    ],
  },
  {
    name: `child decision, parent sampled with ot=th:${TH}`,
    baseline: 'sampler-composite parent_threshold',
    tasks: [
      ['ParentBasedSampler(TraceIdRatioBased)', decisions(new ParentBasedSampler({ root: ratio }), manyParents, sampledParentIds)],
      [
        'sampler-composite parent_threshold',
        decisions(createCompositeSampler(createComposableParentThresholdSampler(createComposableAlwaysOnSampler())), manyParents, sampledParentIds),
      ],
      ['DyntelSampler parent, 1024 distinct parents', decisions(new DyntelSampler(), manyParents, sampledParentIds)],
      ['DyntelSampler parent, siblings of one parent', decisions(new DyntelSampler(), oneParent, oneParentIds)],
    ],
  },
];

// Pattern rules on hostile names: the worst a configuration file can ask for, against a plain
// RegExp rule that misses (the baseline).
const HOSTILE_30 = `${'a'.repeat(29)}!`;
const HOSTILE_1024 = `${'a'.repeat(1023)}!`;
function named(sampler: Sampler, name: string, perCall: number): () => void {
  return () => {
    for (let n = 0; n < perCall; n++) sink ^= sampler.shouldSample(ROOT_CONTEXT, traceIds[n & (IDS - 1)]!, name, SpanKind.INTERNAL, NO_ATTRIBUTES, NO_LINKS).decision;
  };
}
const oneRule = (spanName: NameMatcher): DyntelSampler => new DyntelSampler({ rules: [{ match: { spanName }, policy: alwaysOff() }] });
const PATTERN_BATCH = 10;
const patterns: Group = {
  name: 'pattern rules (one rule, then the default)',
  baseline: 'RegExp /^pool\\.acquire /, name misses',
  perCall: PATTERN_BATCH,
  tasks: [
    ['RegExp /^pool\\.acquire /, name misses', named(oneRule(/^pool\.acquire /), 'circuit_breaker.call db', PATTERN_BATCH)],
    ['{ regex: "^pool\\.acquire " } (RE2), name misses', named(oneRule({ regex: '^pool\\.acquire ' }), 'circuit_breaker.call db', PATTERN_BATCH)],
    ['{ regex: "^pool\\.acquire " } (RE2), name matches', named(oneRule({ regex: '^pool\\.acquire ' }), 'pool.acquire p1', PATTERN_BATCH)],
    ['{ regex: "^(a|aa)+$" } (RE2), 30-character hostile name', named(oneRule({ regex: '^(a|aa)+$' }), HOSTILE_30, PATTERN_BATCH)],
    ['{ regex: "^(a|aa)+$" } (RE2), 1024-character hostile name', named(oneRule({ regex: '^(a|aa)+$' }), HOSTILE_1024, PATTERN_BATCH)],
    ['{ glob: "*a*a*a*a*b" }, 1024-character name of a', named(oneRule({ glob: '*a*a*a*a*b' }), 'a'.repeat(1024), PATTERN_BATCH)],
  ],
};
// The same hostile pattern as a RegExp object, which V8 runs by backtracking: one call at a time.
const backtracking: Group = {
  name: 'control: RegExp /^(a|aa)+$/ run by V8, 30-character hostile name',
  baseline: 'RegExp /^(a|aa)+$/ (V8)',
  perCall: 1,
  tasks: [['RegExp /^(a|aa)+$/ (V8)', named(oneRule(/^(a|aa)+$/), HOSTILE_30, 1)]],
};

// End to end: startSpan + end of root spans at 1% sampling.
function spans(sampler: Sampler): () => void {
  const tracer = new TracerProvider({ sampler }).getTracer('bench');
  return () => {
    for (let n = 0; n < BATCH / 10; n++) tracer.startSpan('op').end();
  };
}
const endToEnd: Group = {
  name: 'end to end: startSpan + end, 1% sampling, no processor',
  baseline: 'AlwaysOffSampler',
  tasks: [
    ['AlwaysOffSampler', spans(new AlwaysOffSampler())],
    ['TraceIdRatioBasedSampler(0.01)', spans(new TraceIdRatioBasedSampler(0.01))],
    ['sampler-composite probability(0.01)', spans(createCompositeSampler(createComposableProbabilitySampler(0.01)))],
    ['DyntelSampler probability(0.01)', spans(new DyntelSampler({ root: probability(0.01) }))],
  ],
  perCall: BATCH / 10,
};

/** A group's cases, each compared with the group's baseline (its peer). */
function groupCases(group: Group): BenchCase[] {
  const perCall = group.perCall ?? BATCH;
  return group.tasks.map(([name, run]) => ({ name, run, opsPerRun: perCall, peer: group.baseline }));
}

const results: { group: Group; results: CaseResult[] }[] = [];
for (const group of [...groups, endToEnd, patterns, backtracking]) results.push({ group, results: await runCases(groupCases(group), OPTIONS) });

// Drop path: ids that a 1% sampler drops (root), and children of unsampled parents.
const dyntel = new DyntelSampler({ root: probability(0.01) });
const dropIds = traceIds.filter((id) => dyntel.shouldSample(ROOT_CONTEXT, id, 'op', SpanKind.INTERNAL, {}, []).decision === 0);
while (dropIds.length < IDS) dropIds.push(...dropIds.slice(0, IDS - dropIds.length));
const unsampledParents = dropIds.map((id) => parentContext(id, false, new TraceState('ot=rv:0123456789abcd')));
const dropPath: Group = {
  name: 'drop path: ids a 1% sampler drops (root), children of unsampled parents',
  baseline: 'TraceIdRatioBasedSampler drop (control: allocates a result per call)',
  tasks: [
    ['DyntelSampler root drop (p = 0.01)', decisions(dyntel, [ROOT_CONTEXT], dropIds)],
    ['DyntelSampler child drop (unsampled parent with ot=rv)', decisions(dyntel, unsampledParents, dropIds)],
    ['TraceIdRatioBasedSampler drop (control: allocates a result per call)', decisions(new TraceIdRatioBasedSampler(0.0001), [ROOT_CONTEXT], dropIds)],
    ['sampler-composite drop (control)', decisions(createCompositeSampler(createComposableProbabilitySampler(0.0001)), [ROOT_CONTEXT], dropIds)],
  ],
};
// Long allocation runs (millions of decisions), so that a path that allocates nothing shows 0 collections.
results.push({ group: dropPath, results: await runCases(groupCases(dropPath), { ...OPTIONS, allocationMillis: 1_000 }) });

console.log(`${benchEnvironment()}; median per operation; ratio to the group's baseline (its peer)\n`);
for (const { group, results: rows } of results) console.log(`### ${group.name}\n\n${resultsTable(rows)}\n`);
console.log(`${RESULTS_LEGEND}\n`);

/** A case's time over its group's baseline. */
function ratioToBaseline(groupIndex: number, task: string): number {
  const { group, results: rows } = results[groupIndex]!;
  const ns = (name: string) => rows.find((row) => row.name === name)!.nsPerOp;
  return ns(task) / ns(group.baseline);
}
console.log(`root decision: ${ratioToBaseline(0, 'DyntelSampler probability').toFixed(3)} of TraceIdRatioBasedSampler (target <= 0.25)`);
console.log(`child decision: ${ratioToBaseline(1, 'DyntelSampler parent, 1024 distinct parents').toFixed(3)} of sampler-composite (target <= 0.1)`);
if (sink === -1) console.log('');
