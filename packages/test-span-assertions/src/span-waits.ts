import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { assignDistinct } from './distinct-assignment';
import { explainSpanWait, type Wording } from './explain';
import { describeSpanPattern, evaluateSpan, isStructural, validateSpanPattern, type SpanPattern } from './pattern';
import { visible, type SpanEntry } from './records';
import { findSequence, ordered, type SequenceMode, type SequenceOrder, type SequenceSearch } from './sequence';
import type { SpanLike } from './span-shape';
import { flattenTrace, matchTrace, rootPattern, validateTracePattern, type MatchedTrace, type TracePattern } from './trace-tree';
import { withCallSite, type WaitCore, type WaitOptions } from './waiter';

/** Options of {@link Recorder.waitForSequence}. */
export interface SequenceOptions extends WaitOptions {
  /** `subsequence` (default): in order, other spans may come between; `contiguous`: in order,
   * nothing between; `exact`: the whole recorded stream is exactly these spans. */
  mode?: SequenceMode;
  /** Order spans by when they ended (default) or started, using recorded sequence numbers. */
  by?: SequenceOrder;
}

/** The result of {@link Recorder.waitForTrace}. */
export interface TraceMatch {
  root: ReadableSpan;
  /** Every matched span, depth first. */
  spans: ReadableSpan[];
  tree: MatchedTrace;
}

function validatePatternList(patterns: unknown, label: string): asserts patterns is readonly SpanPattern[] {
  if (!Array.isArray(patterns) || patterns.length === 0) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'patterns', value: patterns, expected: 'a non-empty array of span patterns' }));
  }
  patterns.forEach((p, i) => validateSpanPattern(p, `pattern [${i}]`));
}

function describeTree(pattern: TracePattern): string {
  if (typeof pattern === 'string' || pattern instanceof RegExp) return describeSpanPattern(pattern);
  const { children, ...node } = pattern;
  const self = describeSpanPattern(node);
  return children?.length ? `${self} > [${children.map(describeTree).join(', ')}]` : self;
}

/** Resolves with the first `count` spans matching `pattern`; `wording` is a domain wait's. */
export function collectSpans(
  core: WaitCore,
  label: string,
  site: Error,
  pattern: SpanPattern,
  count: number,
  options: WaitOptions,
  wording?: Wording<ReadableSpan>,
): Promise<ReadableSpan[]> {
  validateSpanPattern(pattern);
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const structural = isStructural(pattern);
  const scan = () => store.visibleSpans(scope).filter((e) => evaluateSpan(pattern, e.span, store.graph).ok);
  let found: SpanEntry[] = [];
  return core.pend<ReadableSpan[]>(label, site, options, (ctl) => {
    found = scan();
    if (found.length >= count) ctl.resolve(found.slice(0, count).map((e) => e.span));
    return {
      onSpan: (entry) => {
        if (structural) {
          // A relation may have been completed by this span anywhere in the buffer.
          const all = scan();
          if (all.length >= count) ctl.resolve(all.slice(0, count).map((e) => e.span));
          return;
        }
        if (!visible(entry, scope) || !evaluateSpan(pattern, entry.span, store.graph).ok) return;
        found.push(entry);
        if (found.length >= count) ctl.resolve(found.map((e) => e.span));
      },
    };
  }, (timeoutMs) =>
    explainSpanWait({
      label,
      timeoutMs,
      patterns: [pattern],
      source: store.explainSource,
      scope,
      progress: count > 1 ? [`Matched ${found.length} of ${count} spans.`] : undefined,
      wording,
    }),
  );
}

/** Resolves with the first span matching any pattern, and that pattern's index. */
export function waitForAny(core: WaitCore, site: Error, patterns: readonly SpanPattern[], options: WaitOptions): Promise<{ index: number; span: ReadableSpan }> {
  validatePatternList(patterns, 'waitForAny');
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const firstMatch = (entry: SpanEntry) => {
    const index = patterns.findIndex((p) => evaluateSpan(p, entry.span, store.graph).ok);
    return index === -1 ? undefined : { index, span: entry.span };
  };
  const scan = () => {
    for (const e of store.visibleSpans(scope)) {
      const hit = firstMatch(e);
      if (hit) return hit;
    }
    return undefined;
  };
  const structural = patterns.some(isStructural);
  return core.pend<{ index: number; span: ReadableSpan }>('waitForAny', site, options, (ctl) => {
    const existing = scan();
    if (existing) ctl.resolve(existing);
    return {
      onSpan: (entry) => {
        const hit = structural ? scan() : visible(entry, scope) ? firstMatch(entry) : undefined;
        if (hit) ctl.resolve(hit);
      },
    };
  }, (timeoutMs) => explainSpanWait({ label: 'waitForAny', timeoutMs, patterns, source: store.explainSource, scope }));
}

/** Resolves when every pattern has matched a distinct span, in any order; spans in pattern order. */
export function waitForAll(core: WaitCore, site: Error, patterns: readonly SpanPattern[], options: WaitOptions): Promise<ReadableSpan[]> {
  validatePatternList(patterns, 'waitForAll');
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const attempt = () => assignDistinct(patterns, store.visibleSpans(scope), (p, e) => evaluateSpan(p, e.span, store.graph).ok);
  let progress: boolean[] = [];
  return core.pend<ReadableSpan[]>('waitForAll', site, options, (ctl) => {
    const check = () => {
      const result = attempt();
      progress = result.matched;
      if (result.assignment) ctl.resolve(result.assignment.map((e) => e.span));
    };
    check();
    return {
      onSpan: (entry) => {
        if (visible(entry, scope)) check();
      },
    };
  }, (timeoutMs) =>
    explainSpanWait({
      label: 'waitForAll',
      timeoutMs,
      patterns,
      source: store.explainSource,
      scope,
      progress: [`Matched ${progress.filter(Boolean).length} of ${patterns.length}: ${patterns.map((p, i) => `${progress[i] ? '✓' : '✗'} [${i}]`).join(' ')}`],
    }),
  );
}

/** Resolves with one span per step when the steps occur in order, by recorded sequence numbers. */
export function waitForSequence(core: WaitCore, site: Error, patterns: readonly SpanPattern[], options: SequenceOptions): Promise<ReadableSpan[]> {
  validatePatternList(patterns, 'waitForSequence');
  const mode = options.mode ?? 'subsequence';
  const by = options.by ?? 'end';
  if (!['subsequence', 'contiguous', 'exact'].includes(mode)) {
    throw new TypeError(invalidValueMessage({ source: 'waitForSequence', subject: 'mode', value: mode, expected: "'subsequence', 'contiguous' or 'exact'" }));
  }
  if (by !== 'end' && by !== 'start') {
    throw new TypeError(invalidValueMessage({ source: 'waitForSequence', subject: 'by', value: by, expected: "'end' or 'start'" }));
  }
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const search = () => findSequence(ordered(store.visibleSpans(scope), by), patterns, mode, by, store.graph);
  let last: SequenceSearch = { partial: [], impossible: false };
  const progress = () => [
    `Sequence (${mode}, by ${by}): matched ${last.partial.length} of ${patterns.length} steps${last.partial.length ? ': ' + last.partial.map((e) => JSON.stringify(e.span.name)).join(' → ') : ''}.`,
    `Recorded order: ${ordered(store.visibleSpans(scope), by).slice(-12).map((e) => JSON.stringify(e.span.name)).join(' → ') || '(nothing)'}`,
  ];
  const impossible = () =>
    withCallSite(
      explainSpanWait({
        label: 'waitForSequence',
        timeoutMs: 0,
        patterns,
        source: store.explainSource,
        scope,
        progress: progress(),
        headline: 'waitForSequence can no longer succeed: in exact mode the recorded spans already differ from the steps.',
        reason: 'impossible',
      }),
      site,
    );
  return core.pend<ReadableSpan[]>('waitForSequence', site, options, (ctl) => {
    const check = () => {
      last = search();
      if (last.matched) ctl.resolve(last.matched.map((e) => e.span));
      else if (last.impossible) ctl.reject(impossible());
    };
    check();
    return {
      onSpan: (entry) => {
        if (visible(entry, scope)) check();
      },
    };
  }, (timeoutMs) => explainSpanWait({ label: 'waitForSequence', timeoutMs, patterns, source: store.explainSource, scope, progress: progress() }));
}

/** Resolves when a recorded span and its descendants match a tree pattern (`children` nest). */
export function waitForTrace(core: WaitCore, site: Error, pattern: TracePattern, options: WaitOptions): Promise<TraceMatch> {
  validateTracePattern(pattern);
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const root = rootPattern(pattern);
  const scan = (): TraceMatch | undefined => {
    for (const e of store.visibleSpans(scope)) {
      const tree = matchTrace(pattern, e.span as unknown as SpanLike, store.graph);
      if (tree) return { root: tree.span, spans: flattenTrace(tree), tree };
    }
    return undefined;
  };
  return core.pend<TraceMatch>('waitForTrace', site, options, (ctl) => {
    const check = () => {
      const hit = scan();
      if (hit) ctl.resolve(hit);
    };
    check();
    return {
      onSpan: (entry) => {
        if (visible(entry, scope)) check();
      },
    };
  }, (timeoutMs) =>
    explainSpanWait({
      label: 'waitForTrace',
      timeoutMs,
      patterns: [root],
      source: store.explainSource,
      scope,
      progress: [`The tree below the root did not match: ${describeTree(pattern)}`],
    }),
  );
}
