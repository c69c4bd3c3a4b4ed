import { diag } from '@opentelemetry/api';
import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { SamplerConfigError } from './config-error';
import { DyntelSampler } from './dyntel-sampler';
import type { DyntelSamplerOptions } from './dyntel-sampler';
import { traceSdk } from './lazy-packages';
import { SAMPLER_FALLBACK_CONSEQUENCE, type SamplerEnvProblem, type SamplerEnvSettings } from './env-settings';

/** A sampler chosen from configuration, with a one-line description for startup logs. */
export interface ConfiguredSampler {
  readonly sampler: Sampler;
  readonly description: string;
}

/** Receives what the sampler rejected in parsed options; it then falls back to parent-based always-on. */
export type SamplerProblemReport = (problem: SamplerEnvProblem) => void;

/** The one-line message of a sampler problem, in the dyntel message format. */
export function samplerProblemMessage(problem: SamplerEnvProblem, source = '@dyntel/sampler'): string {
  const { subject, value, expected, consequence } = problem;
  return invalidValueMessage({ source, subject, value, expected, consequence });
}

/**
 * Builds the sampler already-parsed settings describe (see `readSamplerEnv`), or undefined when
 * they are unset (the SDK's own `OTEL_TRACES_SAMPLER` handling then applies). Never throws:
 * invalid settings (which whoever parsed them reports) and options the sampler rejects (which
 * go to `report`) give parent-based always-on, so that the application keeps running.
 */
export function samplerFromSettings(settings: SamplerEnvSettings, report: SamplerProblemReport): ConfiguredSampler | undefined {
  if (settings.status === 'unset') return undefined;
  if (settings.status === 'invalid') return fallback(settings.problem);
  return build(settings.options, settings.variable, report, ` (from ${settings.origin})`);
}

/**
 * Builds a sampler from options, or reports why it cannot through `diag.error` and returns
 * parent-based always-on. For configuration that arrives at runtime and must not stop the
 * application; `source`, when given, is named before the field in the report.
 */
export function samplerOrFallback(options: DyntelSamplerOptions, source?: string): ConfiguredSampler {
  return build(options, source, (problem) => diag.error(samplerProblemMessage(problem)), '');
}

/** The sampler of `options`, described with `origin` appended; the fallback when they are rejected. */
function build(options: DyntelSamplerOptions, variable: string | undefined, report: SamplerProblemReport, origin: string): ConfiguredSampler {
  try {
    const sampler = new DyntelSampler(options);
    return { sampler, description: `${sampler.toString()}${origin}` };
  } catch (error) {
    const rejected =
      error instanceof SamplerConfigError
        ? { field: error.field, value: error.value, expected: error.expected }
        : { field: 'options', value: options, expected: `options the sampler accepts (${String(error)})` };
    const subject = variable === undefined ? rejected.field : `${variable} ${rejected.field}`;
    const problem = { variable: variable ?? rejected.field, subject, value: rejected.value, expected: rejected.expected, consequence: SAMPLER_FALLBACK_CONSEQUENCE };
    report(problem);
    return fallback(problem);
  }
}

function fallback(problem: SamplerEnvProblem): ConfiguredSampler {
  const { AlwaysOnSampler, ParentBasedSampler } = traceSdk();
  const sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  return { sampler, description: `${sampler.toString()} (fallback: invalid ${problem.subject})` };
}
