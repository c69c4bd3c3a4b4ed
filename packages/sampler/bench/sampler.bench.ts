/**
 * Decision cost of @dyntel/sampler against the SDK's samplers and sampler-composite, in one
 * run, plus an allocation check of the drop path. Run with `npm run bench -w @dyntel/sampler`
 * (builds first; needs `--expose-gc`, which the script passes).
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
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
import { Bench } from 'tinybench';
import { DyntelSampler, alwaysOff, alwaysOn, oneIn, probability, spansPerSecond } from '@dyntel/sampler';

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
const groups: { name: string; baseline: string; tasks: [string, () => void][] }[] = [
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

// End to end: startSpan + end of root spans at 1% sampling.
function spans(sampler: Sampler): () => void {
  const tracer = new TracerProvider({ sampler }).getTracer('bench');
  return () => {
    for (let n = 0; n < BATCH / 10; n++) tracer.startSpan('op').end();
  };
}
const endToEnd = {
  name: 'end to end: startSpan + end, 1% sampling, no processor',
  baseline: 'AlwaysOffSampler',
  tasks: [
    ['AlwaysOffSampler', spans(new AlwaysOffSampler())],
    ['TraceIdRatioBasedSampler(0.01)', spans(new TraceIdRatioBasedSampler(0.01))],
    ['sampler-composite probability(0.01)', spans(createCompositeSampler(createComposableProbabilitySampler(0.01)))],
    ['DyntelSampler probability(0.01)', spans(new DyntelSampler({ root: probability(0.01) }))],
  ] as [string, () => void][],
  perCall: BATCH / 10,
};

interface Row {
  group: string;
  task: string;
  ns: number;
  ratio: number;
}

async function runGroup(group: { name: string; baseline: string; tasks: [string, () => void][] }, perCall = BATCH): Promise<Row[]> {
  const bench = new Bench({ time: 600, warmupTime: 200 });
  for (const [name, fn] of group.tasks) bench.add(name, fn);
  await bench.run();
  const ns = new Map<string, number>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    ns.set(task.name, (result.latency.p50 * 1e6) / perCall);
  }
  const base = ns.get(group.baseline)!;
  return group.tasks.map(([task]) => ({ group: group.name, task, ns: ns.get(task)!, ratio: ns.get(task)! / base }));
}

/** Minor (scavenge) collections while running `fn` `calls` times: zero means nothing was allocated. */
async function minorCollections(fn: () => void, calls: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) count++;
    }
  });
  fn(); // warm up and optimise before counting
  gc();
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < calls / BATCH; i++) fn();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return count;
}

const rows: Row[] = [];
for (const group of groups) rows.push(...(await runGroup(group)));
rows.push(...(await runGroup(endToEnd, endToEnd.perCall)));

console.log(`Node ${process.version}, ${process.arch}; median ns per operation; ratio to the group's baseline\n`);
console.log('| case | sampler | ns/op | ratio |');
console.log('|---|---|---:|---:|');
for (const row of rows) console.log(`| ${row.group} | ${row.task} | ${row.ns.toFixed(1)} | ${row.ratio.toFixed(3)} |`);

// Drop path: ids that a 1% sampler drops (root), and children of unsampled parents.
const dyntel = new DyntelSampler({ root: probability(0.01) });
const dropIds = traceIds.filter((id) => dyntel.shouldSample(ROOT_CONTEXT, id, 'op', SpanKind.INTERNAL, {}, []).decision === 0);
while (dropIds.length < IDS) dropIds.push(...dropIds.slice(0, IDS - dropIds.length));
const unsampledParents = dropIds.map((id) => parentContext(id, false, new TraceState('ot=rv:0123456789abcd')));
const CALLS = 10_000_000;
const allocation = [
  ['DyntelSampler root drop (p = 0.01)', await minorCollections(decisions(dyntel, [ROOT_CONTEXT], dropIds), CALLS)],
  ['DyntelSampler child drop (unsampled parent with ot=rv)', await minorCollections(decisions(dyntel, unsampledParents, dropIds), CALLS)],
  ['TraceIdRatioBasedSampler drop (control: allocates a result per call)', await minorCollections(decisions(new TraceIdRatioBasedSampler(0.0001), [ROOT_CONTEXT], dropIds), CALLS)],
  ['sampler-composite drop (control)', await minorCollections(decisions(createCompositeSampler(createComposableProbabilitySampler(0.0001)), [ROOT_CONTEXT], dropIds), CALLS)],
] as const;
console.log(`\nMinor GCs during ${CALLS.toLocaleString('en')} drop decisions (0 = no allocation)\n`);
console.log('| drop path | minor GCs |');
console.log('|---|---:|');
for (const [name, count] of allocation) console.log(`| ${name} | ${count} |`);

const find = (task: string, group: string): Row => rows.find((r) => r.task === task && r.group.startsWith(group))!;
const root = find('DyntelSampler probability', 'root');
const child = find('DyntelSampler parent, 1024 distinct parents', 'child');
console.log(`\nroot decision: ${root.ratio.toFixed(3)} of TraceIdRatioBasedSampler (target <= 0.25)`);
console.log(`child decision: ${child.ratio.toFixed(3)} of sampler-composite (target <= 0.1)`);
if (sink === -1) console.log('');
