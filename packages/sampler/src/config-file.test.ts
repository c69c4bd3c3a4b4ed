import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { samplerOptionsFromDocument, samplerOptionsFromText } from './config-file';
import { SamplerConfigError } from './config-error';
import { DyntelSampler } from './dyntel-sampler';
import { ManualClock } from './clock';

const HIGH = 'ffffffffffffffffffffffffffffffff';
const LOW = '00000000000000000000000000000001';

const YAML = `
rule_based:
  rules:
    - span_kinds: [server]
      attribute_patterns: { key: url.path, included: ["/health*"] }
      dyntel: { name: health }
      sampler: { always_off: {} }
    - attribute_values: { key: http.response.status_code, values: ["500", "503"] }
      sampler: { always_on: {} }
    - dyntel: { span_names: ["circuit_breaker.call *"], parent_sampled: false }
      sampler: { dyntel: { spans_per_second: 50 } }
    - dyntel: { span_name_regex: "^pool\\\\.", any_link_sampled: true }
      sampler: { dyntel: { one_in: 10 } }
    - dyntel: { span_names: [batch] }
      sampler: { dyntel: { shared_budget: {} } }
    - parent: [none]
      sampler: { probability: { ratio: 0.25 } }
dyntel:
  global_budget: { spans_per_second: 100, floor: 2 }
  sample_rate_attribute: SampleRate
  precision: 5
`;

function decide(sampler: DyntelSampler, name: string, traceId = HIGH, attributes: Attributes = {}, kind = SpanKind.INTERNAL, context: Context = ROOT_CONTEXT): SamplingDecision {
  return sampler.shouldSample(context, traceId, name, kind, attributes, []).decision;
}

describe('configuration documents', () => {
  it('reads the OpenTelemetry rule_based shape with dyntel extensions', () => {
    const sampler = new DyntelSampler({ ...samplerOptionsFromText(YAML, 'test.yaml'), clock: new ManualClock() });
    expect(sampler.toString()).toBe(
      'DyntelSampler{health: kind=SERVER,url.path=+/health* -> always_off; ' +
        '#2: http.response.status_code=["500"|"503"] -> always_on; ' +
        '#3: name=glob:"circuit_breaker.call *",parentSampled=false -> spans_per_second(50/s); ' +
        '#4: name=regex:"^pool\\\\.",anyLinkSampled=true -> one_in(10); ' +
        '#5: name=glob:"batch" -> shared_budget; ' +
        '#6: parent=none -> probability(0.25, th:c); ' +
        'root: always_on; children: parent; globalBudget: 100/s shared, floor 2/s; precision: 5; sampleRateAttribute: SampleRate}',
    );
    expect(decide(sampler, 'GET', HIGH, { 'url.path': '/healthz' }, SpanKind.SERVER)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, 'GET', LOW, { 'http.response.status_code': 503 })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, 'GET', LOW)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, 'GET', HIGH)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('reads JSON, and parent_threshold over rule_based with OpenTelemetry semantics (rules for roots, unmatched roots dropped)', () => {
    const options = samplerOptionsFromText(
      JSON.stringify({ parent_threshold: { root: { rule_based: { rules: [{ span_kinds: ['server'], sampler: { always_on: {} } }] } } } }),
      'test.json',
    );
    const sampler = new DyntelSampler(options);
    expect(decide(sampler, 'GET', LOW, {}, SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, 'job', HIGH)).toBe(SamplingDecision.NOT_RECORD);
    const sampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: HIGH, spanId: '1111111111111111', traceFlags: TraceFlags.SAMPLED });
    expect(decide(sampler, 'child', HIGH, {}, SpanKind.INTERNAL, sampledParent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('reads a whole OpenTelemetry configuration file (tracer_provider.sampler["composite/development"])', () => {
    const options = samplerOptionsFromDocument({
      file_format: '1.0',
      tracer_provider: { sampler: { 'composite/development': { probability: { ratio: 0.5 } } } },
    });
    expect(new DyntelSampler(options).toString()).toBe('DyntelSampler{root: probability(0.5, th:8); children: parent}');
  });

  it('compiles regular expressions with RE2 (linear time): ^(a|aa)+$ decides hostile names at once', () => {
    const options = samplerOptionsFromText(
      'rule_based: { rules: [ { dyntel: { span_name_regex: "^(a|aa)+$", attributes: { url.path: "^/(x|xx)+$" } }, sampler: { always_off: {} } } ] }',
      'test.yaml',
    );
    expect(options.rules?.[0]?.match).toEqual({ spanName: [{ regex: '^(a|aa)+$' }], attributes: { 'url.path': { regex: '^/(x|xx)+$' } } });
    const sampler = new DyntelSampler(options);
    const hostile = `${'a'.repeat(39)}!`;
    expect(decide(sampler, hostile, HIGH, { 'url.path': `/${'x'.repeat(39)}!` })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, 'a'.repeat(40), HIGH, { 'url.path': `/${'x'.repeat(40)}` })).toBe(SamplingDecision.NOT_RECORD);
  });

  it.each([
    ['span_name_regex: "(?=GET)"', 'span_name_regex', '"(?=GET)"', 'invalid or unsupported Perl syntax'],
    ['attributes: { url.path: "(a)\\\\1" }', 'attributes.url.path', '"(a)\\\\1"', 'invalid escape sequence'],
    ['span_name_regex: "x(\\u001b"', 'span_name_regex', '"x(\\u001b"', 'missing closing ): `x(\\u001b`'],
  ])('refuses %s: RE2 has no lookaround or backreferences, and the message stays one escaped line', (condition, key, value, reason) => {
    const field = `rule_based.rules[0].dyntel.${key}`;
    let error: unknown;
    try {
      samplerOptionsFromText(`rule_based: { rules: [ { dyntel: { ${condition} }, sampler: { always_on: {} } } ] }`, 'test.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SamplerConfigError);
    expect((error as SamplerConfigError).field).toBe(field);
    const message = (error as Error).message;
    expect(message).toContain(`invalid ${field}: ${value}; expected a regular expression in RE2 syntax (matched in linear time: no lookaround, no backreferences); RE2 says "`);
    expect(message).toContain(reason);
    expect([...message].every((char) => char >= ' '), 'no control character').toBe(true);
  });

  it.each([
    ['rule_based: { rules: [ { sampler: { probability: { ratio: 2 } } } ] }', 'rule_based.rules[0].sampler.probability.ratio', '2'],
    ['rule_based: { rules: [ { span_kinds: [serveur], sampler: { always_on: {} } } ] }', 'rule_based.rules[0].span_kinds[0]', '"serveur"'],
    ['rule_based: { rules: [ { sampler: { sometimes: {} } } ] }', 'rule_based.rules[0].sampler.sometimes', '{}'],
    ['rule_based: { rules: [ { span_names: [x], sampler: { always_on: {} } } ] }', 'rule_based.rules[0].span_names', 'an array of 1'],
    ['rule_based: { rules: [ { sampler: { dyntel: { one_in: 0.5 } } } ] }', 'rule_based.rules[0].sampler.dyntel.one_in', '0.5'],
    ['rule_based: { rules: [ { dyntel: { span_name_regex: "(" }, sampler: { always_on: {} } } ] }', 'rule_based.rules[0].dyntel.span_name_regex', '"("'],
    ['rule_based: { rules: [] }', 'rule_based.rules', 'an array of 0'],
    ['always_on: {}\ndyntel: { precision: 0 }', 'dyntel.precision', '0'],
    ['always_on: {}\nprobability: { ratio: 1 }', '$', 'an array of 2'],
    ['rule_based: { rules: [ { sampler: { dyntel: { shared_budget: {} } } } ] }', 'rules[0].policy', '{"type":"shared_budget"}'],
  ])('%s: names %s', (text, field, value) => {
    let error: unknown;
    try {
      new DyntelSampler(samplerOptionsFromText(text, 'test.yaml'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SamplerConfigError);
    expect((error as SamplerConfigError).field).toBe(field);
    expect((error as Error).message).toContain(`invalid ${field}: ${value}; expected`);
  });
});
