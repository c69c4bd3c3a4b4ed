import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SamplerConfigError } from './config-error';
import { DyntelSampler } from './dyntel-sampler';
import { alwaysOff, alwaysOn, oneIn, probability } from './policy';
import type { RuleMatch } from './rule-match';
import { MATCHED_LENGTH_LIMIT } from './string-test';

const TRACE_ID = 'ffffffffffffffffffffffffffffffff';
const SAMPLED = SamplingDecision.RECORD_AND_SAMPLED;

function parentContext(sampled: boolean, isRemote: boolean): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: '1111111111111111',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
  });
}

/** Whether a rule with `match` (always_off) catches the span; the fallback keeps everything. */
function caught(
  match: RuleMatch,
  span: { name?: string; kind?: SpanKind; context?: Context; attributes?: Attributes; links?: Link[] } = {},
): boolean {
  const sampler = new DyntelSampler({ rules: [{ match, policy: alwaysOff() }, { policy: alwaysOn() }] });
  const result = sampler.shouldSample(span.context ?? ROOT_CONTEXT, TRACE_ID, span.name ?? 'op', span.kind ?? SpanKind.INTERNAL, span.attributes ?? {}, span.links ?? []);
  return result.decision !== SAMPLED;
}

describe('rule conditions', () => {
  it('span name: exact, prefix, glob and RegExp', () => {
    expect(caught({ spanName: 'retry.call' }, { name: 'retry.call' })).toBe(true);
    expect(caught({ spanName: 'retry.call' }, { name: 'retry.call x' })).toBe(false);
    expect(caught({ spanName: { prefix: 'circuit_breaker.' } }, { name: 'circuit_breaker.call db' })).toBe(true);
    expect(caught({ spanName: { glob: 'pool.* p?' } }, { name: 'pool.acquire p1' })).toBe(true);
    expect(caught({ spanName: { glob: 'pool.* p?' } }, { name: 'pool.acquire p12' })).toBe(false);
    expect(caught({ spanName: /^GET \/health/ }, { name: 'GET /healthz' })).toBe(true);
    expect(caught({ spanName: ['a', { prefix: 'b' }] }, { name: 'bee' })).toBe(true);
  });

  it('a global or sticky RegExp gives the same answer every time it is asked', () => {
    for (const spanName of [/x/g, /x/y]) {
      const sampler = new DyntelSampler({ rules: [{ match: { spanName }, policy: alwaysOff() }, { policy: alwaysOn() }] });
      const decide = () => sampler.shouldSample(ROOT_CONTEXT, TRACE_ID, 'x', SpanKind.INTERNAL, {}, []).decision;
      expect([decide(), decide(), decide()]).toEqual([SamplingDecision.NOT_RECORD, SamplingDecision.NOT_RECORD, SamplingDecision.NOT_RECORD]);
    }
  });

  it('span name and attributes: { regex } in RE2 syntax, with search semantics like RegExp.test', () => {
    expect(caught({ spanName: { regex: '^pool\\.acquire ' } }, { name: 'pool.acquire p1' })).toBe(true);
    expect(caught({ spanName: { regex: 'acquire' } }, { name: 'pool.acquire p1' })).toBe(true);
    expect(caught({ spanName: { regex: '^acquire' } }, { name: 'pool.acquire p1' })).toBe(false);
    expect(caught({ spanName: [{ regex: '(?i)^get ' }] }, { name: 'GET /orders' })).toBe(true);
    expect(caught({ attributes: { 'url.path': { regex: '^/api/v[0-9]+/' } } }, { attributes: { 'url.path': '/api/v2/users' } })).toBe(true);
    expect(caught({ attributes: { 'url.path': { regex: '^/api/v[0-9]+/' } } }, { attributes: { 'url.path': '/api/vx/users' } })).toBe(false);
    expect(caught({ attributes: { code: { regex: '^5' } } }, { attributes: { code: 503 } })).toBe(true);
  });

  it('regular expressions and wildcard patterns never match a value longer than 1,024 characters; exact and prefix tests (a glob ending in its only *) take any length', () => {
    const longest = 'a'.repeat(MATCHED_LENGTH_LIMIT);
    const long = `${longest}a`;
    for (const spanName of [{ regex: '^a' }, /^a/, { glob: '?*' }, { glob: 'a*a' }] as const) {
      expect(caught({ spanName }, { name: longest })).toBe(true);
      expect(caught({ spanName }, { name: long })).toBe(false);
    }
    for (const matcher of [{ regex: '^a' }, /^a/, { included: ['a*a'] }] as const) {
      expect(caught({ attributes: { 'url.path': matcher } }, { attributes: { 'url.path': longest } })).toBe(true);
      expect(caught({ attributes: { 'url.path': matcher } }, { attributes: { 'url.path': long } })).toBe(false);
    }
    expect(caught({ spanName: long }, { name: long })).toBe(true);
    expect(caught({ spanName: { prefix: long } }, { name: `${long}c` })).toBe(true);
    expect(caught({ spanName: { glob: `${long}*` } }, { name: `${long}c` })).toBe(true);
  });

  it('a { regex } condition costs time in proportion to the name, not exponentially: ^(a|aa)+$ on hostile names decides', () => {
    // In V8 this pattern backtracks through every way of splitting the run of a's, a number
    // that grows exponentially with the length. RE2 answers without backtracking.
    for (const length of [30, 40, 1000]) {
      const hostile = `${'a'.repeat(length - 1)}!`;
      expect(caught({ spanName: { regex: '^(a|aa)+$' } }, { name: hostile })).toBe(false);
    }
    expect(caught({ spanName: { regex: '^(a|aa)+$' } }, { name: 'a'.repeat(40) })).toBe(true);
  });

  it('span kind', () => {
    expect(caught({ spanKind: SpanKind.SERVER }, { kind: SpanKind.SERVER })).toBe(true);
    expect(caught({ spanKind: [SpanKind.CLIENT, SpanKind.PRODUCER] }, { kind: SpanKind.SERVER })).toBe(false);
  });

  it('parent: none, local, remote, sampled or not', () => {
    expect(caught({ parent: 'none' })).toBe(true);
    expect(caught({ parent: 'none' }, { context: parentContext(true, false) })).toBe(false);
    expect(caught({ parent: 'local' }, { context: parentContext(true, false) })).toBe(true);
    expect(caught({ parent: ['remote'] }, { context: parentContext(true, false) })).toBe(false);
    expect(caught({ parent: 'remote', parentSampled: false }, { context: parentContext(false, true) })).toBe(true);
    expect(caught({ parentSampled: true }, { context: parentContext(false, true) })).toBe(false);
    expect(caught({ parentSampled: true })).toBe(false);
  });

  it('attributes: values by string form, lists, RegExp, wildcard patterns, array attributes', () => {
    expect(caught({ attributes: { 'http.response.status_code': '404' } }, { attributes: { 'http.response.status_code': 404 } })).toBe(true);
    expect(caught({ attributes: { tier: ['gold', 'silver'] } }, { attributes: { tier: 'silver' } })).toBe(true);
    expect(caught({ attributes: { tier: ['gold'] } }, { attributes: {} })).toBe(false);
    expect(caught({ attributes: { 'url.path': /^\/internal\// } }, { attributes: { 'url.path': '/internal/x' } })).toBe(true);
    const patterns: RuleMatch = { attributes: { 'url.path': { included: ['/api/*'], excluded: ['/api/admin*'] } } };
    expect(caught(patterns, { attributes: { 'url.path': '/api/users' } })).toBe(true);
    expect(caught(patterns, { attributes: { 'url.path': '/api/admin/x' } })).toBe(false);
    expect(caught({ attributes: { code: { included: ['4*'] } } }, { attributes: { code: 418 } })).toBe(true);
    expect(caught({ attributes: { tags: 'b' } }, { attributes: { tags: ['a', 'b'] } })).toBe(true);
    expect(caught({ attributes: { a: 1, b: true } }, { attributes: { a: 1, b: false } })).toBe(false);
  });

  it('any link sampled (fan-in)', () => {
    const link = (sampled: boolean): Link => ({
      context: { traceId: TRACE_ID, spanId: '2222222222222222', traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE },
    });
    expect(caught({ anyLinkSampled: true }, { links: [link(false), link(true)] })).toBe(true);
    expect(caught({ anyLinkSampled: true }, { links: [link(false)] })).toBe(false);
    expect(caught({ anyLinkSampled: false }, { links: [] })).toBe(true);
  });

  it('all conditions of a rule must hold; the first matching rule wins', () => {
    const sampler = new DyntelSampler({
      rules: [
        { match: { spanName: 'x', spanKind: SpanKind.SERVER }, policy: alwaysOn() },
        { match: { spanName: 'x' }, policy: alwaysOff() },
      ],
    });
    const kinds = [SpanKind.SERVER, SpanKind.CLIENT].map((kind) => sampler.shouldSample(ROOT_CONTEXT, TRACE_ID, 'x', kind, {}, []).decision);
    expect(kinds).toEqual([SAMPLED, SamplingDecision.NOT_RECORD]);
  });
});

describe('invalid rules', () => {
  it.each([
    [{ rules: [{ match: { spanKind: 9 }, policy: alwaysOn() }] }, 'rules[0].match.spanKind[0]', '9'],
    [{ rules: [{ match: { parent: 'nowhere' }, policy: alwaysOn() }] }, 'rules[0].match.parent[0]', '"nowhere"'],
    [{ rules: [{ policy: probability(1.5) }] }, 'rules[0].policy.probability', '1.5'],
    [{ rules: [{ policy: oneIn(0) }] }, 'rules[0].policy.n', '0'],
    [{ rules: [{ policy: { type: 'sometimes' } }] }, 'rules[0].policy.type', '"sometimes"'],
    [{ rules: [{ match: { attributes: { a: { included: [] } } }, policy: alwaysOn() }] }, 'rules[0].match.attributes.a.included', 'an array of 0'],
    [{ rules: [{ policy: { type: 'shared_budget' } }] }, 'rules[0].policy', '{"type":"shared_budget"}'],
    [{ precision: 20 }, 'precision', '20'],
    [{ rules: [{ match: { spanName: { regex: '(a)\\1' } }, policy: alwaysOn() }] }, 'rules[0].match.spanName.regex', '"(a)\\\\1"'],
    [{ rules: [{ match: { attributes: { a: { regex: '(?=x)' } } }, policy: alwaysOn() }] }, 'rules[0].match.attributes.a.regex', '"(?=x)"'],
    [{ rules: [{ match: { spanName: { regex: 7 } }, policy: alwaysOn() }] }, 'rules[0].match.spanName.regex', '7'],
  ])('%j names the field and the value', (options, field, value) => {
    let error: unknown;
    try {
      new DyntelSampler(options as never);
    } catch (caughtError) {
      error = caughtError;
    }
    expect(error).toBeInstanceOf(SamplerConfigError);
    expect((error as SamplerConfigError).field).toBe(field);
    expect((error as Error).message).toContain(`invalid ${field}: ${value}; expected `);
  });
});

describe('toString', () => {
  it('shows the rules and their policies for logs', () => {
    const sampler = new DyntelSampler({
      rules: [
        { name: 'health', match: { spanKind: SpanKind.SERVER, attributes: { 'url.path': { included: ['/health*'] } } }, policy: alwaysOff() },
        { match: { spanName: { prefix: 'retry.' } }, policy: probability(0.1) },
      ],
      sampleRateAttribute: 'SampleRate',
    });
    expect(sampler.toString()).toBe(
      'DyntelSampler{health: kind=SERVER,url.path=+/health* -> always_off; #2: name="retry."* -> probability(0.1, th:e666); ' +
        'root: always_on; children: parent; sampleRateAttribute: SampleRate}',
    );
  });
});
