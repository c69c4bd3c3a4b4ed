import { invalidValueMessage, showValue } from '@dyntel/instrumentation-kit';
import { inspect } from 'node:util';

const PRESENT = Symbol.for('dyntel.test.present');
const ABSENT = Symbol.for('dyntel.test.absent');
const EXACT = Symbol.for('dyntel.test.exact');

/** Anything with `asymmetricMatch`, such as `expect.stringMatching(...)` or `expect.any(Number)`. */
export interface AsymmetricMatcher {
  asymmetricMatch(actual: unknown): boolean;
  toString?(): string;
  toAsymmetricMatcher?(): string;
}

/** A numeric range; every bound given must hold. */
export interface Range {
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
}

/** Marks a key that must be present, whatever its value. */
export interface PresentMarker {
  readonly [PRESENT]: true;
}
/** Marks a key that must be absent. */
export interface AbsentMarker {
  readonly [ABSENT]: true;
}

/**
 * What a single value may be compared with: a literal (compared with `Object.is`, arrays
 * element by element), a RegExp (tested against the string form), a predicate, a {@link Range},
 * {@link present}/{@link absent}, or any asymmetric matcher.
 */
export type ValueMatcher =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined
  | readonly unknown[]
  | RegExp
  | ((value: unknown) => boolean)
  | Range
  | PresentMarker
  | AbsentMarker
  | AsymmetricMatcher;

/** A map of keys to {@link ValueMatcher}s; partial unless wrapped in {@link exactly}. */
export type RecordMatcher = Readonly<Record<string, ValueMatcher>> | ExactRecord;

/** A record pattern that fails on keys it does not list. */
export interface ExactRecord {
  readonly [EXACT]: Readonly<Record<string, ValueMatcher>>;
}

/** Matches a key that is present with any value. */
export function present(): PresentMarker {
  return { [PRESENT]: true };
}

/** Matches a key that is not set. */
export function absent(): AbsentMarker {
  return { [ABSENT]: true };
}

/** Makes an attribute or resource pattern exact: keys it does not list must not be set. */
export function exactly(record: Readonly<Record<string, ValueMatcher>>): ExactRecord {
  return { [EXACT]: record };
}

/** A numeric range matcher, e.g. `range({ min: 0, lt: 1 })`. */
export function range(bounds: Range): Range {
  for (const [key, value] of Object.entries(bounds)) {
    if (!['min', 'max', 'gt', 'lt'].includes(key) || typeof value !== 'number') {
      throw new TypeError(invalidValueMessage({ source: 'range()', subject: `bound ${key}`, value, expected: 'a number for one of the bounds min, max, gt, lt' }));
    }
  }
  return bounds;
}

function isAsymmetric(m: unknown): m is AsymmetricMatcher {
  return typeof m === 'object' && m !== null && typeof (m as AsymmetricMatcher).asymmetricMatch === 'function';
}

function isRange(m: unknown): m is Range {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const keys = Object.keys(m);
  return keys.length > 0 && keys.every((k) => k === 'min' || k === 'max' || k === 'gt' || k === 'lt');
}

/** True when the matcher requires the key to be absent. */
function isAbsent(m: unknown): m is AbsentMarker {
  return typeof m === 'object' && m !== null && ABSENT in m;
}

function isPresent(m: unknown): m is PresentMarker {
  return typeof m === 'object' && m !== null && PRESENT in m;
}

/** The inner record and exactness of a record pattern. */
export function unwrapRecord(m: RecordMatcher): { record: Readonly<Record<string, ValueMatcher>>; exact: boolean } {
  if (EXACT in m) return { record: (m as ExactRecord)[EXACT], exact: true };
  return { record: m as Readonly<Record<string, ValueMatcher>>, exact: false };
}

/** Human-readable form of a record pattern: `{ "key": matcher, … }`, wrapped in `exactly(…)` when exact. */
export function describeRecordMatcher(m: RecordMatcher): string {
  const { record, exact } = unwrapRecord(m);
  const inner = Object.entries(record)
    .map(([key, value]) => `${JSON.stringify(key)}: ${describeMatcher(value)}`)
    .join(', ');
  return exact ? `exactly({ ${inner} })` : `{ ${inner} }`;
}

/** Whether `actual` satisfies the value matcher `m`. */
export function matchValue(m: ValueMatcher, actual: unknown): boolean {
  if (isAbsent(m)) return actual === undefined;
  if (isPresent(m)) return actual !== undefined;
  if (m instanceof RegExp) {
    if (actual === undefined || actual === null) return false;
    m.lastIndex = 0;
    return m.test(String(actual));
  }
  if (typeof m === 'function') return safePredicate(m as (value: unknown) => boolean, actual);
  if (isAsymmetric(m)) return m.asymmetricMatch(actual);
  if (Array.isArray(m)) {
    return (
      Array.isArray(actual) && actual.length === m.length && m.every((item, i) => matchValue(item as ValueMatcher, actual[i]))
    );
  }
  if (isRange(m)) {
    if (typeof actual !== 'number') return false;
    return (
      (m.min === undefined || actual >= m.min) &&
      (m.max === undefined || actual <= m.max) &&
      (m.gt === undefined || actual > m.gt) &&
      (m.lt === undefined || actual < m.lt)
    );
  }
  return Object.is(m, actual);
}

function safePredicate(fn: (value: unknown) => boolean, actual: unknown): boolean {
  // A predicate that throws (e.g. reading a property of undefined) simply does not match;
  // the timeout error then shows the value it was given.
  try {
    return fn(actual) === true;
  } catch {
    return false;
  }
}

/** An error thrown by the user's code, as a wait's message shows it: `Error: "boom"`. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${showValue(error.message)}`;
  return showValue(error);
}

/**
 * What a predicate does with `actual`, for explanations: `returned false`, or what it threw
 * (a throw counts as no match, so the explanation is where the error shows).
 */
export function predicateOutcome(fn: (value: never) => unknown, actual: unknown): string {
  try {
    return `returned ${describeValue(fn(actual as never))}`;
  } catch (error) {
    return `threw ${describeThrown(error)}`;
  }
}

/** Human-readable form of a value matcher for error messages. */
export function describeMatcher(m: unknown): string {
  if (isAbsent(m)) return 'absent()';
  if (isPresent(m)) return 'present()';
  if (m instanceof RegExp) return String(m);
  if (typeof m === 'function') return m.name ? `[predicate ${m.name}]` : '[predicate]';
  if (isAsymmetric(m)) {
    if (typeof m.toAsymmetricMatcher === 'function') return m.toAsymmetricMatcher();
    return String(m);
  }
  if (isRange(m)) {
    const parts: string[] = [];
    if (m.min !== undefined) parts.push(`>= ${m.min}`);
    if (m.gt !== undefined) parts.push(`> ${m.gt}`);
    if (m.max !== undefined) parts.push(`<= ${m.max}`);
    if (m.lt !== undefined) parts.push(`< ${m.lt}`);
    return parts.join(' and ');
  }
  return describeValue(m);
}

/** Human-readable form of an actual value, with strings double-quoted as in the patterns. */
export function describeValue(v: unknown, depth = 0): string {
  if (v === undefined) return depth === 0 ? '(not set)' : 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (depth < 3 && Array.isArray(v)) return `[${v.map((item) => describeValue(item, depth + 1)).join(', ')}]`;
  if (depth < 3 && typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = Object.entries(v).map(([k, item]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${describeValue(item, depth + 1)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return inspect(v, { depth: 1, breakLength: Infinity, compact: true });
}
