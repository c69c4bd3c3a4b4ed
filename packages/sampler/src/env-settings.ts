import { SamplerConfigError } from './config-error';
import { readConfigFile } from './config-file-read';
import { parseYaml } from './lazy-packages';
import { samplerOptionsFromDocument } from './config-file';
import type { DyntelSamplerOptions } from './dyntel-sampler';
import { probability, spansPerSecond } from './policy';
import { MIN_PROBABILITY } from './threshold';

/** Path of a JSON or YAML sampler configuration file. */
export const ENV_SAMPLER_CONFIG = 'DYNTEL_SAMPLER_CONFIG';
/** The same document inline (JSON or YAML); a bare list is taken as `rule_based.rules`. */
export const ENV_SAMPLER_RULES = 'DYNTEL_SAMPLER_RULES';
/** Probability (0 to 1) for root spans no rule matched; children follow their parent. */
export const ENV_SAMPLER_PROBABILITY = 'DYNTEL_SAMPLER_PROBABILITY';
/** Spans-per-second budget for root spans no rule matched (instead of a probability). */
export const ENV_SAMPLER_SPANS_PER_SECOND = 'DYNTEL_SAMPLER_SPANS_PER_SECOND';
/** Attribute key that receives the adjusted count of sampled spans (e.g. `SampleRate`). */
export const ENV_SAMPLER_SAMPLE_RATE_ATTRIBUTE = 'DYNTEL_SAMPLER_SAMPLE_RATE_ATTRIBUTE';

/** All the variables {@link readSamplerEnv} reads. */
export const SAMPLER_ENV_VARIABLES = [
  ENV_SAMPLER_CONFIG,
  ENV_SAMPLER_RULES,
  ENV_SAMPLER_PROBABILITY,
  ENV_SAMPLER_SPANS_PER_SECOND,
  ENV_SAMPLER_SAMPLE_RATE_ATTRIBUTE,
] as const;

/** What happens when the sampler configuration is invalid: tracing goes on, unsampled by us. */
export const SAMPLER_FALLBACK_CONSEQUENCE = 'using parent-based always-on sampling';

/**
 * One invalid sampler setting, ready for `invalidValueMessage`: `subject` is the variable, or
 * the variable and the field inside its document (`DYNTEL_SAMPLER_RULES rule_based.rules[0]`).
 */
export interface SamplerEnvProblem {
  readonly variable: string;
  readonly subject: string;
  readonly value: unknown;
  readonly expected: string;
  readonly consequence: string;
}

/** The `DYNTEL_SAMPLER_*` variables, parsed: none set, the options they describe, or what is wrong. */
export type SamplerEnvSettings =
  | { readonly status: 'unset' }
  | {
      readonly status: 'set';
      readonly options: DyntelSamplerOptions;
      /** The variable holding the rules document, or `DYNTEL_SAMPLER_*` when there is none. */
      readonly variable: string;
      /** Where the options came from, for the startup description. */
      readonly origin: string;
    }
  | { readonly status: 'invalid'; readonly problem: SamplerEnvProblem };

/** Parsed once by whoever reads the environment; blank values count as unset. */
export type SamplerEnvLookup = (name: string) => string | undefined;

/** What a probability written in the environment may be, as a phrase for messages. */
export const PROBABILITY_EXPECTED = 'a decimal number from 0 to 1 (0, or at least 2^-56)';
const RATE_EXPECTED = 'a decimal number greater than 0';
// Plain decimal notation, exponent allowed: no sign, no hex, no Infinity, no blank.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A problem for `variable`, optionally at `field` inside its document. */
function problem(variable: string, value: unknown, expected: string, field?: string): SamplerEnvProblem {
  return { variable, subject: field === undefined ? variable : `${variable} ${field}`, value, expected, consequence: SAMPLER_FALLBACK_CONSEQUENCE };
}

class Invalid extends Error {
  constructor(readonly problem: SamplerEnvProblem) {
    super(problem.subject);
  }
}

function decimal(raw: string): number | undefined {
  return DECIMAL.test(raw) ? Number(raw) : undefined;
}

/** A probability in decimal notation ({@link PROBABILITY_EXPECTED}), else undefined: `0x1` and `1e-20` are refused. */
export function parseProbability(raw: string): number | undefined {
  const value = decimal(raw);
  return value === undefined || value > 1 || (value > 0 && value < MIN_PROBABILITY) ? undefined : value;
}

/**
 * Reads the `DYNTEL_SAMPLER_*` variables into sampler options, reading the configuration file
 * they name. Never throws: the first invalid setting is returned as a problem.
 */
export function readSamplerEnv(lookup: SamplerEnvLookup): SamplerEnvSettings {
  if (!SAMPLER_ENV_VARIABLES.some((name) => lookup(name) !== undefined)) return { status: 'unset' };
  try {
    return { status: 'set', ...optionsFrom(lookup) };
  } catch (error) {
    if (error instanceof Invalid) return { status: 'invalid', problem: error.problem };
    throw error;
  }
}

function optionsFrom(lookup: SamplerEnvLookup): { options: DyntelSamplerOptions; variable: string; origin: string } {
  const file = lookup(ENV_SAMPLER_CONFIG);
  const inline = lookup(ENV_SAMPLER_RULES);
  if (file !== undefined && inline !== undefined) {
    throw new Invalid(problem(ENV_SAMPLER_RULES, inline, `only one of ${ENV_SAMPLER_CONFIG} and ${ENV_SAMPLER_RULES}`));
  }
  let options: DyntelSamplerOptions = {};
  let variable = 'DYNTEL_SAMPLER_*';
  let origin = 'DYNTEL_SAMPLER_* variables';
  if (file !== undefined) {
    variable = ENV_SAMPLER_CONFIG;
    origin = `${ENV_SAMPLER_CONFIG}=${file}`;
    const read = readConfigFile(file);
    if ('expected' in read) throw new Invalid(problem(ENV_SAMPLER_CONFIG, file, read.expected));
    options = fromDocument(ENV_SAMPLER_CONFIG, file, read.text, false);
  } else if (inline !== undefined) {
    variable = origin = ENV_SAMPLER_RULES;
    options = fromDocument(ENV_SAMPLER_RULES, inline, inline, true);
  }
  const p = lookup(ENV_SAMPLER_PROBABILITY);
  const rate = lookup(ENV_SAMPLER_SPANS_PER_SECOND);
  if (p !== undefined && rate !== undefined) {
    throw new Invalid(problem(ENV_SAMPLER_SPANS_PER_SECOND, rate, `only one of ${ENV_SAMPLER_PROBABILITY} and ${ENV_SAMPLER_SPANS_PER_SECOND}`));
  }
  if (p !== undefined) {
    const value = parseProbability(p);
    if (value === undefined) throw new Invalid(problem(ENV_SAMPLER_PROBABILITY, p, PROBABILITY_EXPECTED));
    options = { ...options, root: probability(value) };
  }
  if (rate !== undefined) {
    const value = decimal(rate);
    if (value === undefined || !(value > 0 && Number.isFinite(value))) throw new Invalid(problem(ENV_SAMPLER_SPANS_PER_SECOND, rate, RATE_EXPECTED));
    options = { ...options, root: spansPerSecond(value) };
  }
  const attribute = lookup(ENV_SAMPLER_SAMPLE_RATE_ATTRIBUTE);
  if (attribute !== undefined) options = { ...options, sampleRateAttribute: attribute };
  return { options, variable, origin };
}

/** The options of a JSON or YAML document; an inline bare list is taken as `rule_based.rules`. */
function fromDocument(variable: string, shown: string, text: string, inline: boolean): DyntelSamplerOptions {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const what = inline ? 'valid JSON or YAML' : 'a valid JSON or YAML file';
    throw new Invalid(problem(variable, shown, `${what} (${(error as Error).message.split('\n')[0]})`));
  }
  try {
    return samplerOptionsFromDocument(inline && Array.isArray(document) ? { rule_based: { rules: document } } : document);
  } catch (error) {
    if (error instanceof SamplerConfigError) throw new Invalid(problem(variable, error.value, error.expected, error.field));
    throw error;
  }
}
