import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describeEventPattern, evaluateEvent, type EventPattern, type RecordedEvent } from './event-pattern';
import { describeSpanPattern, evaluateSpan, fieldLine, fieldLines, type Checks, type SpanGraph, type SpanPattern } from './pattern';
import { visible, type EventEntry, type LiveEntry, type ScopeFilter, type SpanEntry } from './records';
import { kindName, statusName } from './span-shape';
import { WaitTimeoutError, type WaitFailureReason } from './wait-timeout-error';

// Enough near misses to spot the typo, few enough that the message stays readable.
const MAX_CANDIDATES = 3;

/** What an explanation may read from the recorder. */
export interface ExplainSource {
  readonly graph: SpanGraph;
  spanEntries(): readonly SpanEntry[];
  liveEntries(): readonly LiveEntry[];
  eventEntries(): readonly EventEntry[];
  /** Whether the span processor has ever seen a span start or end. */
  readonly everSawSpan: boolean;
  /** Whether any log record or span event has ever reached the recorder. */
  readonly everSawEvent: boolean;
  /** Spans dropped from the bounded buffer since the last reset. */
  readonly droppedSpans: number;
}

/** Recorded items a domain wait lists on timeout because they are near misses in its terms. */
export interface RelatedItems<T> {
  /** Heading, e.g. `Other state changes of breaker "b1"`. */
  title: string;
  /** Which recorded items belong to the group (same pattern type as the wait's). */
  pattern: T extends ReadableSpan ? SpanPattern : EventPattern;
  /** One line per item, in the domain's words. */
  describe: (item: T) => string;
}

/** How a domain wait words its explanation, on top of the generic one. */
export interface Wording<T> {
  /** What was awaited, e.g. `breaker "b1" to enter state "open"`. */
  expectation: string;
  /** Near-miss groups listed after the closest candidates. */
  related?: readonly RelatedItems<T>[];
}

// Related groups list more than the ranked candidates: they are already filtered to the domain.
const MAX_RELATED = 5;

function relatedLines<T>(groups: readonly RelatedItems<T>[] | undefined, items: readonly T[], matches: (pattern: RelatedItems<T>['pattern'], item: T) => boolean): string[] {
  const lines: string[] = [];
  for (const group of groups ?? []) {
    const members = items.filter((item) => matches(group.pattern, item));
    if (members.length === 0) continue;
    lines.push('', `${group.title} (${members.length}):`);
    for (const item of members.slice(-MAX_RELATED)) lines.push(`  - ${group.describe(item)}`);
  }
  return lines;
}

/** One ranked near miss. */
interface Candidate {
  label: string;
  checks: Checks;
}

function spanLabel(entry: { span: SpanEntry['span'] }): string {
  const s = entry.span;
  return `${JSON.stringify(s.name)} (${kindName(s.kind)}, status ${statusName(s.status.code)})`;
}

function scopeLabel(scope: string | undefined): string {
  return scope === undefined ? 'outside any test scope' : `scope ${JSON.stringify(scope)}`;
}

function rank(candidates: Candidate[]): Candidate[] {
  // Stable sort keeps the most recent first among equal scores (input is newest first).
  return candidates.sort((a, b) => b.checks.score - a.checks.score).slice(0, MAX_CANDIDATES);
}

function candidateBlock(title: string, ranked: readonly Candidate[]): string[] {
  if (ranked.length === 0) return [];
  const lines = [title];
  ranked.forEach((c, i) => {
    lines.push(`  #${i + 1} ${c.label}`);
    for (const f of c.checks.fields) lines.push(`     ${fieldLine(f)}`);
  });
  return lines;
}

/** Hints for the case where the recorder has seen nothing at all. */
function nothingArrivedHints(kind: 'span' | 'event'): string[] {
  const lines = [
    `Hint: the recorder has not seen a single ${kind === 'span' ? 'span' : 'span event or log record'} since it was created or reset. Common causes:`,
    '  - the recorder is not registered: call installRecorder() before the code under test creates its tracers,',
    '    or pass recorder.spanProcessor / recorder.logRecordProcessor / recorder.metricReader to your NodeSDK;',
    '  - a tracer or logger was taken from another provider (a `new TracerProvider()` of its own, or a provider',
    '    registered before installRecorder() replaced it) and keeps sending there;',
  ];
  if (kind === 'span') {
    lines.push('  - a sampler dropped the spans: unsampled spans never reach span processors (check OTEL_TRACES_SAMPLER);');
  }
  lines.push('  - the code under test never ran, or failed before emitting anything.');
  return lines;
}

/** Builds the error for a span wait that did not complete. */
export function explainSpanWait(args: {
  label: string;
  timeoutMs: number;
  patterns: readonly SpanPattern[];
  source: ExplainSource;
  scope: ScopeFilter;
  /** Extra lines describing the wait's progress (e.g. which sequence steps matched). */
  progress?: readonly string[];
  /** First line replacing "timed out", for failures that are not timeouts. */
  headline?: string;
  reason?: WaitFailureReason;
  wording?: Wording<ReadableSpan>;
}): WaitTimeoutError {
  const { source, scope, patterns, wording } = args;
  const all = source.spanEntries();
  const mine = all.filter((e) => visible(e, scope));
  const lines: string[] = [args.headline ?? `${args.label} timed out after ${args.timeoutMs} ms.`, ''];
  const expectedText =
    patterns.length === 1 ? describeSpanPattern(patterns[0]!) : patterns.map((p, i) => `[${i}] ${describeSpanPattern(p)}`).join('\n  ');
  const expected = patterns.length === 1 ? 'a span matching' : 'spans matching';
  lines.push(wording ? `Expected ${wording.expectation}, i.e. ${expected}:` : `Expected ${expected}:`, `  ${expectedText}`);
  if (args.progress?.length) lines.push('', ...args.progress);
  lines.push('');

  let best: Candidate | undefined;
  const newestFirst = [...mine].reverse();
  patterns.forEach((pattern, i) => {
    const ranked = rank(newestFirst.map((e) => ({ label: spanLabel(e), checks: evaluateSpan(pattern, e.span, source.graph, true) })));
    if (ranked[0] && (!best || ranked[0].checks.score > best.checks.score)) best = ranked[0];
    const title =
      patterns.length === 1
        ? `Closest recorded spans (${mine.length} recorded${scope === undefined ? '' : ' in this test scope'}):`
        : `Closest recorded spans for [${i}]:`;
    lines.push(...candidateBlock(title, ranked));
  });
  lines.push(...relatedLines(wording?.related, mine.map((e) => e.span), (p, span) => evaluateSpan(p, span, source.graph).ok));
  if (mine.length === 0) lines.push(`No span has ended${scope === undefined ? '' : ' in this test scope'}.`);
  if (mine.length === 0 && all.length > 0 && scope !== undefined) {
    lines.push(
      `${all.length} span(s) ended outside it: if this test caused them, its work ran outside recorder.isolate()`,
      '(started in a hook, or on a pool or connection created before the test), or wait with { scope: "all" }.',
    );
  }

  const live = source.liveEntries().filter((e) => visible(e, scope));
  const liveMatches = live.filter((e) => patterns.some((p) => evaluateSpan(p, e.span, source.graph).ok));
  if (liveMatches.length) {
    lines.push('', `Started but not ended (${liveMatches.length}); waits resolve when a span ends, so these were not counted:`);
    for (const e of liveMatches.slice(0, MAX_CANDIDATES)) lines.push(`  - ${JSON.stringify(e.span.name)}`);
  } else if (live.length) {
    lines.push('', `${live.length} span(s) started but have not ended: ${live.slice(0, MAX_CANDIDATES).map((e) => JSON.stringify(e.span.name)).join(', ')}.`);
  }

  if (scope !== undefined) {
    const elsewhere = all.filter((e) => !visible(e, scope) && patterns.some((p) => evaluateSpan(p, e.span, source.graph).ok));
    if (elsewhere.length) {
      lines.push('', `Matching spans outside this test's scope (${elsewhere.length}); they were caused by other code:`);
      for (const e of elsewhere.slice(0, MAX_CANDIDATES)) lines.push(`  - ${JSON.stringify(e.span.name)} (${scopeLabel(e.scope)})`);
      lines.push('  If this test caused them, run the code that emits them inside recorder.isolate(), or wait with { scope: "all" }.');
    }
  }
  if (source.droppedSpans > 0) {
    lines.push('', `${source.droppedSpans} older span(s) were dropped from the bounded buffer; raise maxSpans or call reset() between tests.`);
  }
  if (!source.everSawSpan) lines.push('', ...nothingArrivedHints('span'));

  const bestFields = best?.checks.fields ?? [];
  return new WaitTimeoutError(
    lines.join('\n').replace(/\n{3,}/g, '\n\n'),
    bestFields.length ? fieldLines(bestFields, 'expected') : expectedText,
    fieldLines(bestFields, 'actual'),
    args.reason,
  );
}

/** Builds the error for an event wait that did not complete. */
export function explainEventWait(args: {
  label: string;
  timeoutMs: number;
  pattern: EventPattern;
  source: ExplainSource;
  scope: ScopeFilter;
  wording?: Wording<RecordedEvent>;
}): WaitTimeoutError {
  const { source, scope, pattern, wording } = args;
  const all = source.eventEntries();
  const mine = all.filter((e) => visible(e, scope));
  const expected = wording ? `Expected ${wording.expectation}, i.e. an event matching:` : 'Expected an event matching:';
  const lines = [`${args.label} timed out after ${args.timeoutMs} ms.`, '', expected, `  ${describeEventPattern(pattern)}`, ''];
  const ranked = rank(
    [...mine].reverse().map((e) => ({
      label: `${JSON.stringify(e.event.name)} (${e.event.source === 'span' ? 'span event' : 'log record'})`,
      checks: evaluateEvent(pattern, e.event, true),
    })),
  );
  lines.push(...candidateBlock(`Closest recorded events (${mine.length} recorded${scope === undefined ? '' : ' in this test scope'}):`, ranked));
  if (mine.length === 0) lines.push(`No event was recorded${scope === undefined ? '' : ' in this test scope'}.`);
  lines.push(...relatedLines(wording?.related, mine.map((e) => e.event), (p, event) => evaluateEvent(p, event).ok));
  if (scope !== undefined) {
    const elsewhere = all.filter((e) => !visible(e, scope) && evaluateEvent(pattern, e.event).ok);
    if (elsewhere.length) {
      lines.push('', `Matching events outside this test's scope (${elsewhere.length}):`);
      for (const e of elsewhere.slice(0, MAX_CANDIDATES)) lines.push(`  - ${JSON.stringify(e.event.name)} (${scopeLabel(e.scope)})`);
    }
  }
  if (!source.everSawEvent) lines.push('', ...nothingArrivedHints('event'));
  const fields = ranked[0]?.checks.fields ?? [];
  return new WaitTimeoutError(
    lines.join('\n').replace(/\n{3,}/g, '\n\n'),
    fields.length ? fieldLines(fields, 'expected') : describeEventPattern(pattern),
    fieldLines(fields, 'actual'),
  );
}
