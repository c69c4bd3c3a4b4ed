import { diag } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { readDyntelConfig } from './config';
import type { ConfigProblem } from './diagnostics';
import { DYNTEL_INSTRUMENTATIONS, type InstrumentationFactory } from './instrumentations';

/** Options of {@link getDyntelInstrumentations}. */
export interface DyntelInstrumentationsOptions {
  /** Only these ids. Default: DYNTEL_ENABLED_INSTRUMENTATIONS, else every dyntel instrumentation. */
  enabled?: readonly string[];
  /** Never these ids. Default: DYNTEL_DISABLED_INSTRUMENTATIONS. */
  disabled?: readonly string[];
  /** Per-id configuration handed to the instrumentation's constructor. */
  config?: Readonly<Record<string, InstrumentationConfig>>;
}

/** The outcome of choosing instrumentations from a registry: what to build, and what was unknown. */
export interface InstrumentationSelection {
  ids: string[];
  unknown: string[];
}

/** Chooses ids from `registry` by enable and disable lists, keeping the registry's order. */
export function selectInstrumentations(
  registry: Readonly<Record<string, InstrumentationFactory>>,
  enabled: readonly string[] | undefined,
  disabled: readonly string[],
): InstrumentationSelection {
  const known = Object.keys(registry);
  const unknown = [...(enabled ?? []), ...disabled].filter((id) => !known.includes(id));
  const ids = known.filter((id) => (enabled === undefined || enabled.includes(id)) && !disabled.includes(id));
  return { ids, unknown: [...new Set(unknown)] };
}

/** The ids users may write in DYNTEL_ENABLED_INSTRUMENTATIONS, for messages. */
export function acceptedInstrumentationIds(registry = DYNTEL_INSTRUMENTATIONS): string {
  const ids = Object.keys(registry);
  return ids.length > 0 ? `a comma-separated list of ${ids.join(', ')}` : 'none yet (this version ships no dyntel instrumentation)';
}

/** One problem per DYNTEL_*_INSTRUMENTATIONS variable that names ids the registry does not have. */
export function instrumentationIdProblems(
  lists: { enabled?: readonly string[]; disabled: readonly string[] },
  registry: Readonly<Record<string, InstrumentationFactory>> = DYNTEL_INSTRUMENTATIONS,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const variables = [
    ['DYNTEL_ENABLED_INSTRUMENTATIONS', lists.enabled ?? []],
    ['DYNTEL_DISABLED_INSTRUMENTATIONS', lists.disabled],
  ] as const;
  for (const [variable, ids] of variables) {
    const unknown = ids.filter((id) => !(id in registry));
    if (unknown.length === 0) continue;
    problems.push({
      variable,
      value: ids.join(','),
      problem: `names unknown instrumentation(s) ${unknown.join(', ')}`,
      accepted: acceptedInstrumentationIds(registry),
      consequence: 'Ignoring them.',
    });
  }
  return problems;
}

/**
 * Every dyntel instrumentation, ready for `new NodeSDK({ instrumentations })`. Without
 * options it honours DYNTEL_ENABLED_INSTRUMENTATIONS and DYNTEL_DISABLED_INSTRUMENTATIONS.
 * Unknown ids are reported through the OpenTelemetry diagnostic logger and skipped.
 */
export function getDyntelInstrumentations(options: DyntelInstrumentationsOptions = {}): Instrumentation[] {
  return buildInstrumentations(DYNTEL_INSTRUMENTATIONS, options, {
    unknown: (ids) => diag.warn(`@dyntel/register: unknown dyntel instrumentation id(s) ${ids.join(', ')}; accepted: ${acceptedInstrumentationIds()}`),
    failed: (id, error) => diag.error(`@dyntel/register: the ${id} instrumentation could not be created; it is skipped`, error),
  });
}

/** Where {@link buildInstrumentations} reports ids it cannot honour. */
export interface InstrumentationReporter {
  unknown(ids: string[]): void;
  failed(id: string, error: unknown): void;
}

/** {@link getDyntelInstrumentations} over any registry: a factory that throws costs only its own instrumentation. */
export function buildInstrumentations(
  registry: Readonly<Record<string, InstrumentationFactory>>,
  options: DyntelInstrumentationsOptions,
  report: InstrumentationReporter,
): Instrumentation[] {
  const fromEnv = options.enabled === undefined || options.disabled === undefined ? readDyntelConfig().config.instrumentations : undefined;
  const selection = selectInstrumentations(
    registry,
    options.enabled ?? fromEnv?.enabled,
    options.disabled ?? fromEnv?.disabled ?? [],
  );
  if (selection.unknown.length > 0) report.unknown(selection.unknown);
  const built: Instrumentation[] = [];
  for (const id of selection.ids) {
    try {
      built.push(registry[id]!(options.config?.[id]));
    } catch (error) {
      report.failed(id, error);
    }
  }
  return built;
}
