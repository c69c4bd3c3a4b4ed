export { DyntelSampler } from './dyntel-sampler';
export type { DyntelSamplerOptions, SamplingRule } from './dyntel-sampler';
export { SamplerBuilder, samplerBuilder } from './sampler-builder';
export { alwaysOff, alwaysOn, oneIn, parent, probability, sharedBudget, spansPerSecond } from './policy';
export type {
  AlwaysOffPolicy,
  AlwaysOnPolicy,
  OneInPolicy,
  ParentPolicy,
  Policy,
  ProbabilityPolicy,
  SharedBudgetPolicy,
  SpansPerSecondPolicy,
} from './policy';
export type { AttributeMatcher, AttributeScalar, NameMatcher, ParentLocation, RuleMatch } from './rule-match';
export type { GlobalBudgetOptions } from './budget';
export { ManualClock, monotonicClock } from './clock';
export type { Clock } from './clock';
export { SamplerConfigError } from './config-error';
export { samplerOptionsFromDocument, samplerOptionsFromText } from './config-file';
export { CONFIG_FILE_LIMIT_BYTES } from './config-file-read';
export {
  ENV_SAMPLER_CONFIG,
  ENV_SAMPLER_PROBABILITY,
  ENV_SAMPLER_RULES,
  ENV_SAMPLER_SAMPLE_RATE_ATTRIBUTE,
  ENV_SAMPLER_SPANS_PER_SECOND,
  SAMPLER_ENV_VARIABLES,
  PROBABILITY_EXPECTED,
  SAMPLER_FALLBACK_CONSEQUENCE,
  parseProbability,
  readSamplerEnv,
} from './env-settings';
export type { SamplerEnvLookup, SamplerEnvProblem, SamplerEnvSettings } from './env-settings';
export { samplerFromSettings, samplerOrFallback, samplerProblemMessage } from './configured-sampler';
export type { ConfiguredSampler, SamplerProblemReport } from './configured-sampler';
export { samplerFromEnv } from './from-env';
export type { SamplerFromEnvOptions } from './from-env';
export { encodeProbability, thresholdProbability } from './threshold';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
