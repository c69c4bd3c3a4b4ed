import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { Checks, checkRecord } from './pattern';
import { describeMatcher, describeRecordMatcher, describeValue, matchValue, predicateOutcome, type RecordMatcher, type ValueMatcher } from './values';

/**
 * One recorded event: a span event (`source: 'span'`, seen the moment `addEvent` is called)
 * or a log record with an event name (`source: 'log'`, e.g. a breaker state change on a timer).
 */
export interface RecordedEvent {
  readonly name: string;
  readonly attributes: Attributes;
  readonly source: 'span' | 'log';
  readonly time: HrTime;
  /** The span that carries a span event, or the span active when a log record was emitted. */
  readonly spanContext?: SpanContext;
  /** The span carrying a span event (it may not have ended yet). */
  readonly span?: ReadableSpan;
  readonly severityNumber?: number;
  readonly severityText?: string;
  readonly body?: unknown;
  /** Instrumentation scope of the logger (log records) or tracer (span events). */
  readonly scope?: { name: string; version?: string };
}

/** Fields of an event pattern; every field given must match. */
export interface EventPatternObject {
  name?: ValueMatcher;
  attributes?: RecordMatcher;
  /** Only span events (`'span'`) or only log records (`'log'`). */
  source?: 'span' | 'log';
  /** Severity number (e.g. `SeverityNumber.ERROR`, or a range) of a log record. */
  severityNumber?: ValueMatcher;
  severityText?: ValueMatcher;
  body?: ValueMatcher;
  /** Instrumentation scope name. */
  scope?: ValueMatcher;
  where?: (event: RecordedEvent) => boolean;
}

/** What an event wait looks for: an event name, a RegExp, a predicate or a pattern object. */
export type EventPattern = string | RegExp | ((event: RecordedEvent) => boolean) | EventPatternObject;

const EVENT_PATTERN_KEYS = new Set(['name', 'attributes', 'source', 'severityNumber', 'severityText', 'body', 'scope', 'where']);

/** Throws a clear TypeError when an event pattern is malformed. */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  if (typeof pattern === 'string' || pattern instanceof RegExp || typeof pattern === 'function') return;
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    throw new TypeError(
      invalidValueMessage({
        source: '@dyntel/test-span-assertions',
        subject: 'event pattern',
        value: pattern,
        expected: `an event name, a RegExp, a predicate (event) => boolean, or an object with ${[...EVENT_PATTERN_KEYS].join(', ')}`,
      }),
    );
  }
  for (const key of Object.keys(pattern)) {
    if (!EVENT_PATTERN_KEYS.has(key)) {
      throw new TypeError(
        invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: 'event pattern key', value: key, expected: `one of ${[...EVENT_PATTERN_KEYS].join(', ')}` }),
      );
    }
  }
  const source = (pattern as EventPatternObject).source;
  if (source !== undefined && source !== 'span' && source !== 'log') {
    throw new TypeError(invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: 'event pattern source', value: source, expected: "'span' or 'log'" }));
  }
}

/** A short description of an event pattern for messages. */
export function describeEventPattern(pattern: EventPattern): string {
  if (typeof pattern === 'string') return JSON.stringify(pattern);
  if (pattern instanceof RegExp || typeof pattern === 'function') return describeMatcher(pattern);
  const parts = Object.entries(pattern).map(([k, v]) => {
    if (k === 'attributes') return `attributes: ${describeRecordMatcher(v as RecordMatcher)}`;
    return `${k}: ${describeMatcher(v)}`;
  });
  return `{ ${parts.join(', ')} }`;
}

/** Evaluates an event pattern; fast mode stops at the first mismatch. */
export function evaluateEvent(pattern: EventPattern, event: RecordedEvent, full = false): Checks {
  const checks = new Checks(full);
  const name = () => JSON.stringify(event.name);
  if (typeof pattern === 'string' || pattern instanceof RegExp) {
    checks.add('name', matchValue(pattern, event.name), () => describeMatcher(pattern), name);
    return checks;
  }
  if (typeof pattern === 'function') {
    checks.add('predicate', matchValue(pattern as ValueMatcher, event), () => describeMatcher(pattern), () => predicateOutcome(pattern, event));
    return checks;
  }
  const p = pattern;
  if (p.name !== undefined) {
    const m = p.name;
    if (!checks.add('name', matchValue(m, event.name), () => describeMatcher(m), name)) return checks;
  }
  if (p.source !== undefined) {
    const s = p.source;
    if (!checks.add('source', s === event.source, () => s, () => event.source)) return checks;
  }
  if (p.attributes !== undefined && !checkRecord(checks, 'attributes', p.attributes, event.attributes)) return checks;
  const simple: Array<[keyof EventPatternObject & keyof RecordedEvent, unknown]> = [
    ['severityNumber', event.severityNumber],
    ['severityText', event.severityText],
    ['body', event.body],
  ];
  for (const [key, actual] of simple) {
    const m = p[key] as ValueMatcher | undefined;
    if (m !== undefined && !checks.add(key, matchValue(m, actual), () => describeMatcher(m), () => describeValue(actual))) {
      return checks;
    }
  }
  if (p.scope !== undefined) {
    const m = p.scope;
    const scopeName = event.scope?.name;
    if (!checks.add('scope', matchValue(m, scopeName), () => describeMatcher(m), () => describeValue(scopeName))) return checks;
  }
  if (p.where !== undefined) {
    const fn = p.where;
    checks.add('where', matchValue(fn as ValueMatcher, event), () => describeMatcher(fn), () => predicateOutcome(fn, event));
  }
  return checks;
}
