import { diag } from '@opentelemetry/api';
import { samplerFromSettings, samplerProblemMessage, type ConfiguredSampler } from './configured-sampler';
import { readSamplerEnv } from './env-settings';

/** Where {@link samplerFromEnv} reports invalid configuration. */
export interface SamplerFromEnvOptions {
  /**
   * Receives the one-line report of invalid configuration (variable and field, value, what is
   * accepted, and the fallback). Default: `diag.error`.
   */
  readonly report?: (message: string) => void;
}

/**
 * The sampler the `DYNTEL_SAMPLER_*` variables describe, or undefined when none is set: a thin
 * wrapper over {@link readSamplerEnv} and {@link samplerFromSettings} for applications that
 * build their own SDK. Blank values count as unset. Never throws (see `samplerFromSettings`).
 */
export function samplerFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: SamplerFromEnvOptions = {},
): ConfiguredSampler | undefined {
  const report = options.report ?? ((message: string) => diag.error(message));
  const settings = readSamplerEnv((name) => env[name]?.trim() || undefined);
  if (settings.status === 'invalid') report(samplerProblemMessage(settings.problem));
  return samplerFromSettings(settings, (problem) => report(samplerProblemMessage(problem)));
}
