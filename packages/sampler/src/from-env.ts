import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { diag } from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler } from '@opentelemetry/sdk-trace';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { samplerOptionsFromDocument, samplerOptionsFromText } from './config-file';
import { SamplerConfigError } from './config-error';
import { DyntelSampler } from './dyntel-sampler';
import type { DyntelSamplerOptions } from './dyntel-sampler';
import { probability, spansPerSecond } from './policy';


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

/** All the variables {@link samplerFromEnv} reads. */
export const SAMPLER_ENV_VARIABLES = [
  ENV_SAMPLER_CONFIG,
  ENV_SAMPLER_RULES,
  ENV_SAMPLER_PROBABILITY,
  ENV_SAMPLER_SPANS_PER_SECOND,
  ENV_SAMPLER_SAMPLE_RATE_ATTRIBUTE,
] as const;

/** Where {@link samplerFromEnv} reports invalid configuration. */
export interface SamplerFromEnvOptions {
  /**
   * Receives the one-line report of invalid configuration (field, value, what is accepted, and
   * the fallback). Default: `diag.error`. `@dyntel/register` passes its own stderr diagnostics.
   */
  readonly report?: (message: string) => void;
}

/** A sampler chosen from the environment, with a one-line description for startup logs. */
export interface ConfiguredSampler {
  readonly sampler: Sampler;
  readonly description: string;
}

/**
 * The sampler the `DYNTEL_SAMPLER_*` variables describe, or undefined when none is set (the
 * SDK's own `OTEL_TRACES_SAMPLER` handling then applies). Invalid configuration never throws:
 * the error is reported through `diag.error`, naming the variable, field and value, and
 * parent-based always-on is returned so that the application keeps running.
 */
export function samplerFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: SamplerFromEnvOptions = {},
): ConfiguredSampler | undefined {
  const set = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  if (!SAMPLER_ENV_VARIABLES.some((name) => set(name) !== undefined)) return undefined;
  let source = 'DYNTEL_SAMPLER_*';
  try {
    const options = optionsFromEnv(set, (s) => (source = s));
    const sampler = new DyntelSampler(options);
    return { sampler, description: `${sampler.toString()} (from ${source})` };
  } catch (error) {
    return fallback(error, source, options.report);
  }
}

/**
 * Builds a sampler from options, or reports why it cannot and returns parent-based always-on.
 * For configuration that arrives at runtime and must not stop the application.
 */
export function samplerOrFallback(options: DyntelSamplerOptions, source = 'options'): ConfiguredSampler {
  try {
    const sampler = new DyntelSampler(options);
    return { sampler, description: sampler.toString() };
  } catch (error) {
    return fallback(error, source);
  }
}

function fallback(error: unknown, source: string, report: (message: string) => void = (m) => diag.error(m)): ConfiguredSampler {
  const reason = error instanceof Error ? error.message : String(error);
  report(`${reason} (in ${source}); falling back to parent-based always-on sampling`);
  const sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  return { sampler, description: `${sampler.toString()} (fallback: ${reason})` };
}

function optionsFromEnv(set: (name: string) => string | undefined, describe: (source: string) => void): DyntelSamplerOptions {
  const file = set(ENV_SAMPLER_CONFIG);
  const inline = set(ENV_SAMPLER_RULES);
  if (file !== undefined && inline !== undefined) {
    throw new SamplerConfigError(ENV_SAMPLER_RULES, inline, `only one of ${ENV_SAMPLER_CONFIG} and ${ENV_SAMPLER_RULES}`);
  }
  let options: DyntelSamplerOptions = {};
  if (file !== undefined) {
    describe(`${ENV_SAMPLER_CONFIG}=${file}`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SamplerConfigError(ENV_SAMPLER_CONFIG, file, `a readable JSON or YAML file (${(error as Error).message})`);
    }
    options = samplerOptionsFromText(text, file);
  } else if (inline !== undefined) {
    describe(ENV_SAMPLER_RULES);
    let document: unknown;
    try {
      document = parse(inline);
    } catch (error) {
      throw new SamplerConfigError(ENV_SAMPLER_RULES, inline, `valid JSON or YAML (${(error as Error).message.split('\n')[0]})`);
    }
    options = samplerOptionsFromDocument(Array.isArray(document) ? { rule_based: { rules: document } } : document);
  } else {
    describe('DYNTEL_SAMPLER_* variables');
  }
  const p = set(ENV_SAMPLER_PROBABILITY);
  const rate = set(ENV_SAMPLER_SPANS_PER_SECOND);
  if (p !== undefined && rate !== undefined) {
    throw new SamplerConfigError(ENV_SAMPLER_SPANS_PER_SECOND, rate, `only one of ${ENV_SAMPLER_PROBABILITY} and ${ENV_SAMPLER_SPANS_PER_SECOND}`);
  }
  if (p !== undefined) {
    const value = Number(p);
    if (!(value >= 0 && value <= 1)) throw new SamplerConfigError(ENV_SAMPLER_PROBABILITY, p, 'a number from 0 to 1');
    options = { ...options, root: probability(value) };
  }
  if (rate !== undefined) {
    const value = Number(rate);
    if (!(value > 0 && Number.isFinite(value))) throw new SamplerConfigError(ENV_SAMPLER_SPANS_PER_SECOND, rate, 'a number greater than 0');
    options = { ...options, root: spansPerSecond(value) };
  }
  const attribute = set(ENV_SAMPLER_SAMPLE_RATE_ATTRIBUTE);
  if (attribute !== undefined) options = { ...options, sampleRateAttribute: attribute };
  return options;
}
