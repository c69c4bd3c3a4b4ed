import { SpanKind } from '@opentelemetry/api';
import { SamplerConfigError } from './config-error';
import { parseYaml } from './lazy-packages';
import { compileLinearRegex } from './linear-regex';
import type { DyntelSamplerOptions, SamplingRule } from './dyntel-sampler';
import { alwaysOff, alwaysOn, oneIn, parent, probability, sharedBudget, spansPerSecond } from './policy';
import type { Policy } from './policy';
import type { AttributeMatcher, NameMatcher, ParentLocation, RuleMatch } from './rule-match';

/**
 * Reads a sampler configuration document (already parsed from JSON or YAML) into sampler
 * options. The shape follows the OpenTelemetry declarative configuration's composable
 * samplers (`rule_based`, `parent_threshold`, `probability`, `always_on`, `always_off`); our
 * additions live under `dyntel` keys. A whole OpenTelemetry configuration file is accepted
 * too: its `tracer_provider.sampler["composite/development"]` is read.
 *
 * @throws SamplerConfigError naming the field (as a path in the document) and the value.
 */
export function samplerOptionsFromDocument(document: unknown): DyntelSamplerOptions {
  const root = object(document, '$', 'a mapping with rule_based, parent_threshold, probability, always_on or always_off');
  const tracerProvider = root['tracer_provider'];
  if (tracerProvider !== undefined) {
    const sampler = object(object(tracerProvider, 'tracer_provider', 'a mapping')['sampler'], 'tracer_provider.sampler', 'a mapping');
    const composite = sampler['composite/development'];
    if (composite === undefined) {
      throw new SamplerConfigError('tracer_provider.sampler', sampler, 'a "composite/development" sampler');
    }
    return fromComposite(object(composite, 'tracer_provider.sampler.composite/development', 'a mapping'), 'tracer_provider.sampler.composite/development', root['dyntel']);
  }
  return fromComposite(root, '$', root['dyntel']);
}

/** Parses JSON or YAML text (YAML is a superset of JSON) into sampler options. */
export function samplerOptionsFromText(text: string, source: string): DyntelSamplerOptions {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new SamplerConfigError(source, (error as Error).message.split('\n')[0], 'a valid JSON or YAML document');
  }
  return samplerOptionsFromDocument(document);
}

const SAMPLER_KEYS = ['always_on', 'always_off', 'probability', 'parent_threshold', 'rule_based', 'dyntel'];

function fromComposite(composite: Record<string, unknown>, field: string, extensions: unknown): DyntelSamplerOptions {
  const options = fromExtensions(extensions);
  const at = (key: string): string => (field === '$' ? key : `${field}.${key}`);
  const keys = Object.keys(composite).filter((k) => k !== 'dyntel' || field !== '$');
  const samplerKeys = keys.filter((k) => SAMPLER_KEYS.includes(k));
  const unknown = keys.filter((k) => !SAMPLER_KEYS.includes(k));
  if (unknown.length > 0) throw new SamplerConfigError(at(unknown[0]!), composite[unknown[0]!], `one of ${SAMPLER_KEYS.slice(0, 5).join(', ')}, or dyntel`);
  if (samplerKeys.length > 1) throw new SamplerConfigError(field, samplerKeys, 'exactly one sampler key');
  const key = samplerKeys[0];
  if (key === undefined) return options;
  if (key === 'rule_based') return { ...options, rules: rules(composite[key], at(key), false) };
  if (key === 'parent_threshold') {
    const inner = object(composite[key], at(key), 'a mapping { root: <sampler> }');
    const rootSampler = object(inner['root'], at(`${key}.root`), 'a sampler');
    if ('rule_based' in rootSampler) {
      // OpenTelemetry semantics: the rules decide root spans only, and an unmatched root is dropped.
      return { root: alwaysOff(), ...options, rules: rules(rootSampler['rule_based'], at(`${key}.root.rule_based`), true) };
    }
    return { ...options, root: policy(rootSampler, at(`${key}.root`)) };
  }
  return { ...options, root: policy(composite, field) };
}

function fromExtensions(value: unknown): DyntelSamplerOptions {
  if (value === undefined) return {};
  const ext = object(value, 'dyntel', 'a mapping of dyntel options');
  known(ext, 'dyntel', ['root', 'global_budget', 'sample_rate_attribute', 'precision', 'budget_window_millis', 'budget_max_growth']);
  const options: { -readonly [K in keyof DyntelSamplerOptions]: DyntelSamplerOptions[K] } = {};
  if (ext['root'] !== undefined) options.root = policy(object(ext['root'], 'dyntel.root', 'a sampler'), 'dyntel.root');
  if (ext['global_budget'] !== undefined) {
    const budget = object(ext['global_budget'], 'dyntel.global_budget', 'a mapping { spans_per_second, floor? }');
    known(budget, 'dyntel.global_budget', ['spans_per_second', 'floor']);
    options.globalBudget = {
      spansPerSecond: positive(budget['spans_per_second'], 'dyntel.global_budget.spans_per_second'),
      floor: budget['floor'] === undefined ? undefined : nonNegative(budget['floor'], 'dyntel.global_budget.floor'),
    };
  }
  if (ext['sample_rate_attribute'] !== undefined) options.sampleRateAttribute = string(ext['sample_rate_attribute'], 'dyntel.sample_rate_attribute');
  if (ext['precision'] !== undefined) options.precision = integer(ext['precision'], 'dyntel.precision', 1, 14);
  if (ext['budget_window_millis'] !== undefined) options.budgetWindowMillis = positive(ext['budget_window_millis'], 'dyntel.budget_window_millis');
  if (ext['budget_max_growth'] !== undefined) options.budgetMaxGrowth = positive(ext['budget_max_growth'], 'dyntel.budget_max_growth');
  return options;
}

function rules(value: unknown, field: string, rootOnly: boolean): SamplingRule[] {
  const ruleBased = object(value, field, 'a mapping { rules: [...] }');
  known(ruleBased, field, ['rules']);
  const list = ruleBased['rules'];
  if (!Array.isArray(list) || list.length === 0) throw new SamplerConfigError(`${field}.rules`, list, 'a non-empty list of rules');
  return list.map((entry, i) => rule(entry, `${field}.rules[${i}]`, rootOnly));
}

const RULE_KEYS = ['attribute_values', 'attribute_patterns', 'span_kinds', 'parent', 'sampler', 'dyntel'];
const MATCH_EXTENSION_KEYS = ['name', 'span_names', 'span_name_regex', 'parent_sampled', 'any_link_sampled', 'attributes'];

function rule(value: unknown, field: string, rootOnly: boolean): SamplingRule {
  const entry = object(value, field, 'a rule mapping with a sampler');
  known(entry, field, RULE_KEYS);
  const match: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {};
  const attributes: Record<string, AttributeMatcher> = {};
  if (entry['span_kinds'] !== undefined) {
    match.spanKind = stringList(entry['span_kinds'], `${field}.span_kinds`).map((kind, i) => spanKind(kind, `${field}.span_kinds[${i}]`));
  }
  if (entry['parent'] !== undefined) {
    match.parent = stringList(entry['parent'], `${field}.parent`).map((location, i) => {
      if (!['none', 'local', 'remote'].includes(location)) throw new SamplerConfigError(`${field}.parent[${i}]`, location, 'none, local or remote');
      return location as ParentLocation;
    });
  } else if (rootOnly) {
    match.parent = 'none';
  }
  if (entry['attribute_values'] !== undefined) {
    const values = object(entry['attribute_values'], `${field}.attribute_values`, 'a mapping { key, values }');
    known(values, `${field}.attribute_values`, ['key', 'values']);
    attributes[string(values['key'], `${field}.attribute_values.key`)] = stringList(values['values'], `${field}.attribute_values.values`);
  }
  if (entry['attribute_patterns'] !== undefined) {
    const patterns = object(entry['attribute_patterns'], `${field}.attribute_patterns`, 'a mapping { key, included?, excluded? }');
    known(patterns, `${field}.attribute_patterns`, ['key', 'included', 'excluded']);
    const key = string(patterns['key'], `${field}.attribute_patterns.key`);
    if (key in attributes) throw new SamplerConfigError(`${field}.attribute_patterns.key`, key, 'a key other than the attribute_values key');
    attributes[key] = {
      included: patterns['included'] === undefined ? undefined : stringList(patterns['included'], `${field}.attribute_patterns.included`),
      excluded: patterns['excluded'] === undefined ? undefined : stringList(patterns['excluded'], `${field}.attribute_patterns.excluded`),
    };
  }
  let name: string | undefined;
  if (entry['dyntel'] !== undefined) {
    const ext = object(entry['dyntel'], `${field}.dyntel`, 'a mapping of dyntel conditions');
    known(ext, `${field}.dyntel`, MATCH_EXTENSION_KEYS);
    if (ext['name'] !== undefined) name = string(ext['name'], `${field}.dyntel.name`);
    const names: NameMatcher[] = [];
    if (ext['span_names'] !== undefined) {
      for (const glob of stringList(ext['span_names'], `${field}.dyntel.span_names`)) names.push({ glob });
    }
    if (ext['span_name_regex'] !== undefined) names.push(regex(ext['span_name_regex'], `${field}.dyntel.span_name_regex`));
    if (names.length > 0) match.spanName = names;
    if (ext['parent_sampled'] !== undefined) match.parentSampled = boolean(ext['parent_sampled'], `${field}.dyntel.parent_sampled`);
    if (ext['any_link_sampled'] !== undefined) match.anyLinkSampled = boolean(ext['any_link_sampled'], `${field}.dyntel.any_link_sampled`);
    if (ext['attributes'] !== undefined) {
      // Regular expressions on attributes, which the OpenTelemetry shape has no room for.
      const regexes = object(ext['attributes'], `${field}.dyntel.attributes`, 'a mapping of attribute key to regular expression');
      for (const [key, source] of Object.entries(regexes)) {
        if (key in attributes) throw new SamplerConfigError(`${field}.dyntel.attributes.${key}`, source, 'a key not already matched by attribute_values or attribute_patterns');
        attributes[key] = regex(source, `${field}.dyntel.attributes.${key}`);
      }
    }
  }
  if (Object.keys(attributes).length > 0) match.attributes = attributes;
  const sampler = object(entry['sampler'], `${field}.sampler`, 'a sampler (always_on, always_off, probability, parent_threshold or dyntel)');
  return { name, match, policy: policy(sampler, `${field}.sampler`) };
}

function policy(sampler: Record<string, unknown>, field: string): Policy {
  const keys = Object.keys(sampler);
  if (keys.length !== 1) {
    throw new SamplerConfigError(field, sampler, 'exactly one of always_on, always_off, probability, parent_threshold, dyntel');
  }
  const key = keys[0]!;
  const value = sampler[key];
  const at = `${field}.${key}`;
  switch (key) {
    case 'always_on':
      emptyOrNull(value, at);
      return alwaysOn();
    case 'always_off':
      emptyOrNull(value, at);
      return alwaysOff();
    case 'probability': {
      // OpenTelemetry: "If omitted or null, 1.0 is used."
      const body = value === null ? {} : object(value, at, 'a mapping { ratio }');
      known(body, at, ['ratio']);
      const ratio = body['ratio'] ?? 1;
      if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) throw new SamplerConfigError(`${at}.ratio`, ratio, 'a number from 0 to 1');
      return probability(ratio);
    }
    case 'parent_threshold': {
      const body = object(value, at, 'a mapping { root: <sampler> }');
      known(body, at, ['root']);
      return parent(policy(object(body['root'], `${at}.root`, 'a sampler'), `${at}.root`));
    }
    case 'dyntel': {
      const body = object(value, at, 'a mapping with one of spans_per_second, shared_budget, one_in');
      const ext = Object.keys(body);
      if (ext.length !== 1) throw new SamplerConfigError(at, body, 'exactly one of spans_per_second, shared_budget, one_in');
      if (ext[0] === 'spans_per_second') return spansPerSecond(positive(body['spans_per_second'], `${at}.spans_per_second`));
      if (ext[0] === 'one_in') return oneIn(integer(body['one_in'], `${at}.one_in`, 1, Number.MAX_SAFE_INTEGER));
      if (ext[0] === 'shared_budget') {
        emptyOrNull(body['shared_budget'], `${at}.shared_budget`);
        return sharedBudget();
      }
      throw new SamplerConfigError(`${at}.${ext[0]}`, body[ext[0]!], 'one of spans_per_second, shared_budget, one_in');
    }
    case 'rule_based':
      throw new SamplerConfigError(at, value, 'a simple sampler here: rule_based is only supported at the top (or as parent_threshold.root)');
    default:
      throw new SamplerConfigError(at, value, 'one of always_on, always_off, probability, parent_threshold, dyntel');
  }
}

function object(value: unknown, field: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SamplerConfigError(field, value, expected);
  return value as Record<string, unknown>;
}

function known(value: Record<string, unknown>, field: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new SamplerConfigError(`${field}.${key}`, value[key], `one of the keys ${keys.join(', ')}`);
  }
}

function emptyOrNull(value: unknown, field: string): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return;
  throw new SamplerConfigError(field, value, 'an empty mapping {}');
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new SamplerConfigError(field, value, 'a non-empty string');
  return value;
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new SamplerConfigError(field, value, 'a non-empty list of strings');
  return value.map((item, i) => {
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    return string(item, `${field}[${i}]`);
  });
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new SamplerConfigError(field, value, 'true or false');
  return value;
}

function positive(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new SamplerConfigError(field, value, 'a number greater than 0');
  return value;
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new SamplerConfigError(field, value, 'a number of at least 0');
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SamplerConfigError(field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

// Compiled once here so that a bad pattern is reported at its place in the document.
function regex(value: unknown, field: string): { regex: string } {
  compileLinearRegex(value, field);
  return { regex: value as string };
}

const KINDS: Record<string, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

function spanKind(value: string, field: string): SpanKind {
  const kind = KINDS[value];
  if (kind === undefined) throw new SamplerConfigError(field, value, 'internal, server, client, producer or consumer');
  return kind;
}
