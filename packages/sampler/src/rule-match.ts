import { SpanKind, TraceFlags } from '@opentelemetry/api';
import type { AttributeValue, Attributes, Link, SpanContext } from '@opentelemetry/api';
import { SamplerConfigError } from './config-error';
import { compileLinearRegex } from './linear-regex';
import { compileGlob, bounded, type StringTest } from './string-test';

/**
 * How a span name is matched: a string is exact; `prefix`, `glob` (`*`, `?`), `regex` (RE2
 * syntax, matched in linear time) or a RegExp (run by V8 as given: its cost is the caller's).
 * Globs and regular expressions never match a name longer than 1,024 characters.
 */
export type NameMatcher = string | RegExp | { readonly prefix: string } | { readonly glob: string } | { readonly regex: string };

/** Where the span's parent is: `none` for a root span. */
export type ParentLocation = 'none' | 'local' | 'remote';

/** A primitive attribute value compared by its string form, as the OpenTelemetry rules do. */
export type AttributeScalar = string | number | boolean;

/**
 * How one attribute is matched: a value or a list of values (any of them, compared by string
 * form), `{ regex }` (RE2 syntax, linear time), a RegExp (run by V8 as given), or
 * OpenTelemetry-style wildcard patterns (`included` then `excluded`, `*` and `?`). For array
 * attributes, any item matching is enough. A missing attribute never matches, nor does a
 * value longer than 1,024 characters match patterns or regular expressions.
 */
export type AttributeMatcher =
  | AttributeScalar
  | readonly AttributeScalar[]
  | RegExp
  | { readonly regex: string }
  | { readonly included?: readonly string[]; readonly excluded?: readonly string[] };

/** The conditions of a rule; all given conditions must hold. An empty match takes every span. */
export interface RuleMatch {
  /** Span name conditions (any of them). */
  readonly spanName?: NameMatcher | readonly NameMatcher[];
  /** Span kinds (any of them). */
  readonly spanKind?: SpanKind | readonly SpanKind[];
  /** Parent locations (any of them). */
  readonly parent?: ParentLocation | readonly ParentLocation[];
  /** Whether the parent must be sampled (true) or not (false); a root span never matches. */
  readonly parentSampled?: boolean;
  /** Attribute conditions, all of which must hold. */
  readonly attributes?: Readonly<Record<string, AttributeMatcher>>;
  /** True: at least one link points to a sampled span (fan-in); false: none does. */
  readonly anyLinkSampled?: boolean;
}

const PARENT_BITS: Record<ParentLocation, number> = { none: 1, local: 2, remote: 4 };
const ALL = -1;

/** A {@link RuleMatch} compiled into cheap checks, tested cheapest first. */
export class CompiledMatch {
  private readonly kindMask: number;
  private readonly parentMask: number;
  private readonly parentSampled: boolean | undefined;
  private readonly names: StringTest | undefined;
  private readonly attributes: readonly (readonly [string, StringTest])[];
  private readonly anyLinkSampled: boolean | undefined;
  /** A short description for `toString()`. */
  readonly description: string;

  constructor(match: RuleMatch, field: string) {
    if (typeof match !== 'object' || match === null) {
      throw new SamplerConfigError(field, match, 'an object of conditions');
    }
    this.kindMask = compileKinds(match.spanKind, `${field}.spanKind`);
    this.parentMask = compileParents(match.parent, `${field}.parent`);
    this.parentSampled = optionalBoolean(match.parentSampled, `${field}.parentSampled`);
    this.anyLinkSampled = optionalBoolean(match.anyLinkSampled, `${field}.anyLinkSampled`);
    this.names = match.spanName === undefined ? undefined : compileNames(match.spanName, `${field}.spanName`);
    this.attributes = compileAttributes(match.attributes, `${field}.attributes`);
    this.description = describe(match);
  }

  /** Whether a span with these properties meets every condition. */
  matches(
    parent: SpanContext | undefined,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: readonly Link[],
  ): boolean {
    if ((this.kindMask & (1 << spanKind)) === 0) return false;
    if (this.parentMask !== ALL) {
      const bit = parent === undefined ? 1 : parent.isRemote === true ? 4 : 2;
      if ((this.parentMask & bit) === 0) return false;
    }
    if (this.parentSampled !== undefined) {
      if (parent === undefined) return false;
      if (((parent.traceFlags & TraceFlags.SAMPLED) !== 0) !== this.parentSampled) return false;
    }
    if (this.names !== undefined && !this.names(spanName)) return false;
    for (let i = 0; i < this.attributes.length; i++) {
      const [key, test] = this.attributes[i]!;
      if (!attributeMatches(attributes?.[key], test)) return false;
    }
    if (this.anyLinkSampled !== undefined && anySampled(links) !== this.anyLinkSampled) return false;
    return true;
  }
}

function anySampled(links: readonly Link[] | undefined): boolean {
  if (links === undefined) return false;
  for (let i = 0; i < links.length; i++) {
    if ((links[i]!.context.traceFlags & TraceFlags.SAMPLED) !== 0) return true;
  }
  return false;
}

function attributeMatches(value: AttributeValue | undefined, test: StringTest): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && item !== undefined && test(String(item))) return true;
    return false;
  }
  return test(String(value));
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new SamplerConfigError(field, value, 'true or false');
}

function list<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

const KIND_NAMES = Object.keys(SpanKind).filter((k) => Number.isNaN(Number(k)));

function compileKinds(kinds: SpanKind | readonly SpanKind[] | undefined, field: string): number {
  if (kinds === undefined) return ALL;
  let mask = 0;
  list(kinds).forEach((kind, i) => {
    if (typeof kind !== 'number' || SpanKind[kind] === undefined) {
      throw new SamplerConfigError(`${field}[${i}]`, kind, `a SpanKind (${KIND_NAMES.join(', ')})`);
    }
    mask |= 1 << kind;
  });
  return mask;
}

function compileParents(parents: ParentLocation | readonly ParentLocation[] | undefined, field: string): number {
  if (parents === undefined) return ALL;
  let mask = 0;
  list(parents).forEach((location, i) => {
    const bit = PARENT_BITS[location];
    if (typeof location !== 'string' || bit === undefined) {
      throw new SamplerConfigError(`${field}[${i}]`, location, 'none, local or remote');
    }
    mask |= bit;
  });
  return mask;
}

function compileName(matcher: NameMatcher, field: string): StringTest {
  if (typeof matcher === 'string') return (value) => value === matcher;
  if (matcher instanceof RegExp) return regexTest(matcher);
  if (typeof matcher === 'object' && matcher !== null) {
    if ('prefix' in matcher && typeof matcher.prefix === 'string') {
      const prefix = matcher.prefix;
      return (value) => value.startsWith(prefix);
    }
    if ('glob' in matcher && typeof matcher.glob === 'string') return compileGlob(matcher.glob);
    if ('regex' in matcher) return compileLinearRegex(matcher.regex, `${field}.regex`);
  }
  throw new SamplerConfigError(field, matcher, 'a string (exact name), a RegExp, { prefix: string }, { glob: string } or { regex: string }');
}

// A global or sticky RegExp keeps state between test() calls; a copy without those flags
// gives the same answer for the same name every time. The length bound keeps patterns that
// are slow in proportion to a power of the length usable on huge values.
function regexTest(regex: RegExp): StringTest {
  const stateless = regex.global || regex.sticky ? new RegExp(regex.source, regex.flags.replace(/[gy]/g, '')) : regex;
  return bounded((value) => stateless.test(value));
}

function anyOf(tests: readonly StringTest[]): StringTest {
  if (tests.length === 1) return tests[0]!;
  return (value) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(value)) return true;
    return false;
  };
}

function compileNames(names: NameMatcher | readonly NameMatcher[], field: string): StringTest {
  const matchers = list(names);
  if (matchers.length === 0) throw new SamplerConfigError(field, names, 'at least one name matcher');
  const exact = new Set<string>();
  const others: StringTest[] = [];
  matchers.forEach((matcher, i) => {
    const where = Array.isArray(names) ? `${field}[${i}]` : field;
    if (typeof matcher === 'string') exact.add(matcher);
    else others.push(compileName(matcher, where));
  });
  if (exact.size > 0) others.unshift((value) => exact.has(value));
  return anyOf(others);
}

function compileAttribute(matcher: AttributeMatcher, field: string): StringTest {
  if (matcher instanceof RegExp) return regexTest(matcher);
  if (typeof matcher === 'string' || typeof matcher === 'number' || typeof matcher === 'boolean') {
    const expected = String(matcher);
    return (value) => value === expected;
  }
  if (Array.isArray(matcher)) {
    if (matcher.length === 0) throw new SamplerConfigError(field, matcher, 'at least one value');
    matcher.forEach((item, i) => {
      if (!['string', 'number', 'boolean'].includes(typeof item)) {
        throw new SamplerConfigError(`${field}[${i}]`, item, 'a string, number or boolean');
      }
    });
    const expected = new Set(matcher.map(String));
    return (value) => expected.has(value);
  }
  if (typeof matcher === 'object' && matcher !== null && 'regex' in matcher) return compileLinearRegex(matcher.regex, `${field}.regex`);
  if (typeof matcher === 'object' && matcher !== null) {
    const patterns = matcher as { included?: unknown; excluded?: unknown };
    const included = patternList(patterns.included, `${field}.included`);
    const excluded = patternList(patterns.excluded, `${field}.excluded`);
    if (included === undefined && excluded === undefined) {
      throw new SamplerConfigError(field, matcher, 'included and/or excluded pattern lists');
    }
    return (value) => (included === undefined || included(value)) && (excluded === undefined || !excluded(value));
  }
  throw new SamplerConfigError(field, matcher, 'a value, a list of values, a RegExp, { regex } or { included, excluded } patterns');
}

function patternList(patterns: unknown, field: string): StringTest | undefined {
  if (patterns === undefined) return undefined;
  if (!Array.isArray(patterns) || patterns.length === 0) {
    throw new SamplerConfigError(field, patterns, 'a non-empty list of wildcard patterns');
  }
  return anyOf(
    patterns.map((pattern: unknown, i) => {
      if (typeof pattern !== 'string') throw new SamplerConfigError(`${field}[${i}]`, pattern, 'a string pattern');
      return compileGlob(pattern);
    }),
  );
}

function compileAttributes(
  attributes: Readonly<Record<string, AttributeMatcher>> | undefined,
  field: string,
): readonly (readonly [string, StringTest])[] {
  if (attributes === undefined) return [];
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new SamplerConfigError(field, attributes, 'an object mapping attribute keys to matchers');
  }
  return Object.entries(attributes).map(([key, matcher]) => [key, compileAttribute(matcher, `${field}.${key}`)] as const);
}

function describe(match: RuleMatch): string {
  const parts: string[] = [];
  if (match.spanName !== undefined) parts.push(`name=${list(match.spanName).map(describeName).join('|')}`);
  if (match.spanKind !== undefined) parts.push(`kind=${list(match.spanKind).map((k) => SpanKind[k]).join('|')}`);
  if (match.parent !== undefined) parts.push(`parent=${list(match.parent).join('|')}`);
  if (match.parentSampled !== undefined) parts.push(`parentSampled=${match.parentSampled}`);
  for (const [key, matcher] of Object.entries(match.attributes ?? {})) parts.push(`${key}=${describeAttribute(matcher)}`);
  if (match.anyLinkSampled !== undefined) parts.push(`anyLinkSampled=${match.anyLinkSampled}`);
  return parts.length === 0 ? '*' : parts.join(',');
}

function describeName(matcher: NameMatcher): string {
  if (typeof matcher === 'string') return JSON.stringify(matcher);
  if (matcher instanceof RegExp) return String(matcher);
  if ('regex' in matcher) return `regex:${JSON.stringify(matcher.regex)}`;
  return 'prefix' in matcher ? `${JSON.stringify(matcher.prefix)}*` : `glob:${JSON.stringify(matcher.glob)}`;
}

function describeAttribute(matcher: AttributeMatcher): string {
  if (matcher instanceof RegExp) return String(matcher);
  if (typeof matcher === 'object' && matcher !== null && 'regex' in matcher) return `regex:${JSON.stringify(matcher.regex)}`;
  if (Array.isArray(matcher)) return `[${matcher.map((v) => JSON.stringify(v)).join('|')}]`;
  if (typeof matcher === 'object' && matcher !== null && !Array.isArray(matcher)) {
    const patterns = matcher as { included?: readonly string[]; excluded?: readonly string[] };
    const inc = patterns.included ? `+${patterns.included.join('|')}` : '';
    const exc = patterns.excluded ? `-${patterns.excluded.join('|')}` : '';
    return `${inc}${exc}`;
  }
  return JSON.stringify(matcher);
}
