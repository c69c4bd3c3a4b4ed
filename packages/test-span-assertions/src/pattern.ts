import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { SpanKind, SpanStatusCode, Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  describeMatcher,
  describeRecordMatcher,
  describeValue,
  matchValue,
  predicateOutcome,
  unwrapRecord,
  type Range,
  type RecordMatcher,
  type ValueMatcher,
} from './values';
import {
  durationMillisOf,
  kindName,
  parentSpanIdOf,
  scopeOf,
  statusName,
  toSpanKind,
  toStatusCode,
  type SpanKindName,
  type SpanLike,
  type StatusName,
} from './span-shape';

/** A span event pattern inside a span pattern's `events`. */
export type SpanEventPattern = string | RegExp | { name?: ValueMatcher; attributes?: RecordMatcher };

/** A link pattern inside a span pattern's `links`. */
export interface LinkPattern {
  traceId?: ValueMatcher;
  spanId?: ValueMatcher;
  attributes?: RecordMatcher;
}

/** Fields of a span pattern; every field given must match. */
export interface SpanPatternObject {
  /** Span name. */
  name?: ValueMatcher;
  /** `SpanKind` or `'internal' | 'server' | 'client' | 'producer' | 'consumer'`. */
  kind?: SpanKind | SpanKindName;
  /** Status code (`'ok' | 'error' | 'unset'` or `SpanStatusCode`), or `{ code, message }`. */
  status?: SpanStatusCode | StatusName | { code?: SpanStatusCode | StatusName; message?: ValueMatcher };
  /** Span attributes, partial unless wrapped in `exactly()`. */
  attributes?: RecordMatcher;
  /** Resource attributes, partial unless wrapped in `exactly()`. */
  resource?: RecordMatcher;
  /** Instrumentation scope: its name, or `{ name, version }`. */
  scope?: ValueMatcher | { name?: ValueMatcher; version?: ValueMatcher };
  /** Span events that must all be present (in any order). */
  events?: readonly SpanEventPattern[];
  /** Link count (number or range) or link patterns that must all be present. */
  links?: number | Range | readonly LinkPattern[];
  /** The parent span's pattern; `null` means the span must be a root. */
  parent?: SpanPattern | null;
  /** Some ancestor (parent, grandparent...) must match. */
  ancestor?: SpanPattern;
  /** Some recorded direct child must match. */
  hasChild?: SpanPattern;
  /** Duration in milliseconds, e.g. `{ max: 50 }`. */
  duration?: Range;
  /** Trace id. */
  traceId?: ValueMatcher;
  /** A last free-form check. */
  where?: (span: ReadableSpan) => boolean;
}

/** What a span wait looks for: a name, a RegExp on the name, a predicate, or a pattern object. */
export type SpanPattern = string | RegExp | ((span: ReadableSpan) => boolean) | SpanPatternObject;

const SPAN_PATTERN_KEYS = new Set<string>([
  'name', 'kind', 'status', 'attributes', 'resource', 'scope', 'events', 'links', 'parent', 'ancestor',
  'hasChild', 'duration', 'traceId', 'where',
]);

/** Navigation between recorded spans, for `parent`, `ancestor` and `hasChild`. */
export interface SpanGraph {
  /** The parent span, `null` for a root, `undefined` when the parent was not recorded. */
  parentOf(span: SpanLike): SpanLike | null | undefined;
  /** Recorded direct children. */
  childrenOf(span: SpanLike): readonly SpanLike[];
}

/** One compared field in an explanation. */
export interface FieldCheck {
  field: string;
  ok: boolean;
  expected: string;
  actual: string;
}

/** One compared field as a diff line: `✓ field: actual` or `✗ field: expected …, got …`. */
export function fieldLine(f: FieldCheck): string {
  return f.ok ? `✓ ${f.field}: ${f.actual}` : `✗ ${f.field}: expected ${f.expected}, got ${f.actual}`;
}

/** The fields of a check list as `field: value` lines, for the `expected`/`actual` diff. */
export function fieldLines(fields: readonly FieldCheck[], side: 'expected' | 'actual'): string {
  return fields.map((f) => `${f.field}: ${f[side]}`).join('\n');
}

/**
 * Accumulates field comparisons. In fast mode it stops at the first failure and builds no
 * strings (the hot path of every wait); in full mode it records every field for the ✓/✗ diff.
 */
export class Checks {
  readonly fields: FieldCheck[] = [];
  failed = false;
  constructor(readonly full: boolean) {}

  /** Records one comparison; returns false when evaluation should stop. */
  add(field: string, ok: boolean, expected: () => string, actual: () => string): boolean {
    if (!ok) this.failed = true;
    if (this.full) this.fields.push({ field, ok, expected: expected(), actual: actual() });
    return ok || this.full;
  }

  get ok(): boolean {
    return !this.failed;
  }

  /** Share of fields that matched, for ranking near misses. */
  get score(): number {
    if (this.fields.length === 0) return this.failed ? 0 : 1;
    return this.fields.filter((f) => f.ok).length / this.fields.length;
  }
}

/** Throws a clear TypeError when a span pattern is malformed; called once per wait. */
export function validateSpanPattern(pattern: unknown, where = 'pattern'): asserts pattern is SpanPattern {
  if (typeof pattern === 'string' || pattern instanceof RegExp || typeof pattern === 'function') return;
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    throw new TypeError(
      invalidValueMessage({
        source: '@dyntel/test-span-assertions',
        subject: `span ${where}`,
        value: pattern,
        expected: `a span name, a RegExp, a predicate (span) => boolean, or an object with ${[...SPAN_PATTERN_KEYS].join(', ')}`,
      }),
    );
  }
  for (const key of Object.keys(pattern)) {
    if (!SPAN_PATTERN_KEYS.has(key)) {
      throw new TypeError(
        invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: `span ${where} key`, value: key, expected: `one of ${[...SPAN_PATTERN_KEYS].join(', ')}` }),
      );
    }
  }
  const p = pattern as SpanPatternObject;
  if (p.kind !== undefined) toSpanKind(p.kind);
  if (p.status !== undefined && typeof p.status !== 'object') toStatusCode(p.status);
  if (p.status !== undefined && typeof p.status === 'object' && p.status.code !== undefined) toStatusCode(p.status.code);
  if (p.parent !== undefined && p.parent !== null) validateSpanPattern(p.parent, `${where}.parent`);
  if (p.ancestor !== undefined) validateSpanPattern(p.ancestor, `${where}.ancestor`);
  if (p.hasChild !== undefined) validateSpanPattern(p.hasChild, `${where}.hasChild`);
}

/** Whether matching the pattern depends on other spans (so it must be re-checked as they arrive). */
export function isStructural(pattern: SpanPattern): boolean {
  if (typeof pattern !== 'object' || pattern instanceof RegExp) return false;
  return pattern.parent !== undefined || pattern.ancestor !== undefined || pattern.hasChild !== undefined;
}

/** A short description of a span pattern for messages. */
export function describeSpanPattern(pattern: SpanPattern): string {
  if (typeof pattern === 'string') return JSON.stringify(pattern);
  if (pattern instanceof RegExp) return String(pattern);
  if (typeof pattern === 'function') return describeMatcher(pattern);
  return describeObject(pattern);
}

function describeObject(o: object): string {
  const parts = Object.entries(o).map(([k, v]) => {
    if (k === 'attributes' || k === 'resource') return `${k}: ${describeRecordMatcher(v as RecordMatcher)}`;
    if (k === 'parent' && v === null) return 'parent: null';
    if (k === 'parent' || k === 'ancestor' || k === 'hasChild') return `${k}: ${describeSpanPattern(v as SpanPattern)}`;
    if (k === 'kind' && typeof v === 'number') return `kind: ${kindName(v)}`;
    if (k === 'status' && typeof v === 'number') return `status: ${statusName(v)}`;
    if (k === 'events' && Array.isArray(v)) {
      return `events: [${v.map((e) => (typeof e === 'object' && !(e instanceof RegExp) ? describeObject(e) : describeMatcher(e))).join(', ')}]`;
    }
    if (typeof v === 'object' && v !== null && !(v instanceof RegExp) && !Array.isArray(v) && !('asymmetricMatch' in v)) {
      const asRange = describeMatcher(v);
      return `${k}: ${asRange.startsWith('{') ? describeObject(v) : asRange}`;
    }
    return `${k}: ${describeMatcher(v)}`;
  });
  return `{ ${parts.join(', ')} }`;
}

/** Compares a record (attributes, resource) key by key. */
export function checkRecord(checks: Checks, field: string, pattern: RecordMatcher, actual: Attributes | undefined): boolean {
  const { record, exact } = unwrapRecord(pattern);
  const values = actual ?? {};
  for (const [key, m] of Object.entries(record)) {
    const value = values[key];
    const ok = matchValue(m, value);
    if (!checks.add(`${field}[${JSON.stringify(key)}]`, ok, () => describeMatcher(m), () => describeValue(value))) return false;
  }
  if (exact) {
    // Keys the pattern lists (as absent() too) were compared above; any other key is extra.
    const unexpected = Object.keys(values).filter((k) => !(k in record));
    if (!checks.add(`${field} (exact)`, unexpected.length === 0, () => 'no other keys', () => `also has ${unexpected.join(', ')}`)) {
      return false;
    }
  }
  return true;
}

/**
 * Evaluates `pattern` against one span. In fast mode (`full` false) this returns at the first
 * mismatch; in full mode every field is compared, for the timeout explanation.
 */
export function evaluateSpan(pattern: SpanPattern, span: SpanLike, graph: SpanGraph, full = false, depth = 0): Checks {
  const checks = new Checks(full);
  if (typeof pattern === 'string') {
    checks.add('name', span.name === pattern, () => JSON.stringify(pattern), () => JSON.stringify(span.name));
    return checks;
  }
  if (pattern instanceof RegExp) {
    checks.add('name', matchValue(pattern, span.name), () => String(pattern), () => JSON.stringify(span.name));
    return checks;
  }
  if (typeof pattern === 'function') {
    checks.add('predicate', matchValue(pattern as ValueMatcher, span), () => describeMatcher(pattern), () => predicateOutcome(pattern, span));
    return checks;
  }
  evaluateObject(checks, pattern, span, graph, depth);
  return checks;
}

function evaluateObject(checks: Checks, p: SpanPatternObject, span: SpanLike, graph: SpanGraph, depth: number): void {
  // Cheapest, most selective fields first: most spans fail on the name.
  if (p.name !== undefined) {
    const m = p.name;
    if (!checks.add('name', matchValue(m, span.name), () => describeMatcher(m), () => JSON.stringify(span.name))) return;
  }
  if (p.kind !== undefined) {
    const kind = toSpanKind(p.kind);
    if (!checks.add('kind', span.kind === kind, () => kindName(kind), () => kindName(span.kind))) return;
  }
  if (p.status !== undefined) {
    const st = p.status;
    const code = typeof st === 'object' ? (st.code === undefined ? undefined : toStatusCode(st.code)) : toStatusCode(st);
    if (code !== undefined) {
      if (!checks.add('status', span.status.code === code, () => statusName(code), () => statusName(span.status.code))) return;
    }
    if (typeof st === 'object' && st.message !== undefined) {
      const m = st.message;
      const msg = span.status.message;
      if (!checks.add('status.message', matchValue(m, msg), () => describeMatcher(m), () => describeValue(msg))) return;
    }
  }
  if (p.attributes !== undefined && !checkRecord(checks, 'attributes', p.attributes, span.attributes)) return;
  if (p.resource !== undefined && !checkRecord(checks, 'resource', p.resource, span.resource?.attributes)) return;
  if (p.scope !== undefined && !checkScope(checks, p.scope, scopeOf(span))) return;
  if (p.traceId !== undefined) {
    const m = p.traceId;
    const id = span.spanContext().traceId;
    if (!checks.add('traceId', matchValue(m, id), () => describeMatcher(m), () => id)) return;
  }
  if (p.duration !== undefined) {
    const m = p.duration;
    const ms = durationMillisOf(span);
    if (!checks.add('duration (ms)', matchValue(m, ms), () => describeMatcher(m), () => ms.toFixed(3))) return;
  }
  if (p.events !== undefined && !checkEvents(checks, p.events, span)) return;
  if (p.links !== undefined && !checkLinks(checks, p.links, span)) return;
  if (p.parent !== undefined && !checkParent(checks, p.parent, span, graph, depth)) return;
  if (p.ancestor !== undefined && !checkAncestor(checks, p.ancestor, span, graph, depth)) return;
  if (p.hasChild !== undefined) {
    const childPattern = p.hasChild;
    const children = graph.childrenOf(span);
    const ok = children.some((c) => evaluateSpan(childPattern, c, graph, false, depth + 1).ok);
    if (
      !checks.add(
        'hasChild',
        ok,
        () => describeSpanPattern(childPattern),
        () => (children.length ? `children ${children.map((c) => JSON.stringify(c.name)).join(', ')}` : 'no recorded children'),
      )
    ) {
      return;
    }
  }
  if (p.where !== undefined) {
    const fn = p.where;
    checks.add('where', matchValue(fn as ValueMatcher, span), () => describeMatcher(fn), () => predicateOutcome(fn, span));
  }
}

function checkScope(checks: Checks, m: SpanPatternObject['scope'], scope: { name: string; version?: string }): boolean {
  const isFields = typeof m === 'object' && m !== null && !(m instanceof RegExp) && !Array.isArray(m) && ('name' in m || 'version' in m);
  if (!isFields) {
    const vm = m as ValueMatcher;
    return checks.add('scope', matchValue(vm, scope.name), () => describeMatcher(vm), () => JSON.stringify(scope.name));
  }
  const fields = m as { name?: ValueMatcher; version?: ValueMatcher };
  if (fields.name !== undefined) {
    const n = fields.name;
    if (!checks.add('scope.name', matchValue(n, scope.name), () => describeMatcher(n), () => JSON.stringify(scope.name))) return false;
  }
  if (fields.version !== undefined) {
    const v = fields.version;
    if (!checks.add('scope.version', matchValue(v, scope.version), () => describeMatcher(v), () => describeValue(scope.version))) {
      return false;
    }
  }
  return true;
}

function eventMatches(e: SpanEventPattern, event: { name: string; attributes?: Attributes }): boolean {
  if (typeof e === 'string' || e instanceof RegExp) return matchValue(e, event.name);
  if (e.name !== undefined && !matchValue(e.name, event.name)) return false;
  if (e.attributes !== undefined) return checkRecord(new Checks(false), 'attributes', e.attributes, event.attributes);
  return true;
}

function checkEvents(checks: Checks, patterns: readonly SpanEventPattern[], span: SpanLike): boolean {
  for (const [i, e] of patterns.entries()) {
    const ok = span.events.some((event) => eventMatches(e, event));
    const described = () => (typeof e === 'object' && !(e instanceof RegExp) ? describeObject(e) : describeMatcher(e));
    const actual = () => (span.events.length ? span.events.map((ev) => JSON.stringify(ev.name)).join(', ') : 'no events');
    if (!checks.add(`events[${i}]`, ok, described, actual)) return false;
  }
  return true;
}

function checkLinks(checks: Checks, m: number | Range | readonly LinkPattern[], span: SpanLike): boolean {
  const links = span.links ?? [];
  if (typeof m === 'number' || !Array.isArray(m)) {
    const count = m as number | Range;
    return checks.add('links (count)', matchValue(count, links.length), () => describeMatcher(count), () => String(links.length));
  }
  for (const [i, lp] of (m as readonly LinkPattern[]).entries()) {
    const ok = links.some(
      (l) =>
        (lp.traceId === undefined || matchValue(lp.traceId, l.context.traceId)) &&
        (lp.spanId === undefined || matchValue(lp.spanId, l.context.spanId)) &&
        (lp.attributes === undefined || checkRecord(new Checks(false), 'attributes', lp.attributes, l.attributes)),
    );
    if (!checks.add(`links[${i}]`, ok, () => describeObject(lp), () => `${links.length} link(s)`)) return false;
  }
  return true;
}

// Structural patterns may nest; the cap keeps a cyclic or malformed parent chain from hanging.
const MAX_DEPTH = 64;

function checkParent(checks: Checks, m: SpanPattern | null, span: SpanLike, graph: SpanGraph, depth: number): boolean {
  const parentId = parentSpanIdOf(span);
  if (m === null) {
    return checks.add('parent', parentId === undefined, () => 'null (a root span)', () => `a child of span ${parentId}`);
  }
  const parent = parentId === undefined ? null : graph.parentOf(span);
  const ok = parent ? depth < MAX_DEPTH && evaluateSpan(m, parent, graph, false, depth + 1).ok : false;
  return checks.add(
    'parent',
    ok,
    () => describeSpanPattern(m),
    () => (parent ? JSON.stringify(parent.name) : parent === null ? 'none (a root span)' : `span ${parentId} (not recorded)`),
  );
}

function checkAncestor(checks: Checks, m: SpanPattern, span: SpanLike, graph: SpanGraph, depth: number): boolean {
  const chain: string[] = [];
  let current: SpanLike | null | undefined = graph.parentOf(span);
  let ok = false;
  for (let i = 0; current && i < MAX_DEPTH; i++) {
    chain.push(JSON.stringify(current.name));
    if (evaluateSpan(m, current, graph, false, depth + 1).ok) {
      ok = true;
      break;
    }
    current = graph.parentOf(current);
  }
  return checks.add('ancestor', ok, () => describeSpanPattern(m), () => (chain.length ? chain.join(' < ') : 'no recorded ancestors'));
}
