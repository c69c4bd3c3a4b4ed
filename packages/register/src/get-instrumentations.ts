import { diag } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { readInstrumentationLists } from './config';
import { DYNTEL_DISABLED_INSTRUMENTATIONS, DYNTEL_ENABLED_INSTRUMENTATIONS } from './env-variables';
import { formatProblem, showItems, type ConfigProblem } from './diagnostics';
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
  const unknown = unknownIds(registry, [...(enabled ?? []), ...disabled]);
  const ids = Object.keys(registry).filter((id) => (enabled === undefined || enabled.includes(id)) && !disabled.includes(id));
  return { ids, unknown: [...new Set(unknown)] };
}

/** The ids of `ids` that `registry` has no factory for (own keys only: `constructor` is not an id). */
function unknownIds(registry: Readonly<Record<string, InstrumentationFactory>>, ids: readonly string[]): string[] {
  return ids.filter((id) => !Object.hasOwn(registry, id));
}

/** The ids users may write in DYNTEL_ENABLED_INSTRUMENTATIONS, for messages. */
export function acceptedInstrumentationIds(registry = DYNTEL_INSTRUMENTATIONS): string {
  const ids = Object.keys(registry);
  return ids.length > 0 ? `a comma-separated list of ${ids.join(', ')}` : 'none yet (this version ships no dyntel instrumentation)';
}

/** Where the enabled and disabled lists came from, as {@link ConfigProblem.variable} names them. */
export interface InstrumentationListSources {
  enabled: string;
  disabled: string;
}

const FROM_ENV: InstrumentationListSources = { enabled: DYNTEL_ENABLED_INSTRUMENTATIONS.name, disabled: DYNTEL_DISABLED_INSTRUMENTATIONS.name };

/**
 * One problem per list (by default the DYNTEL_*_INSTRUMENTATIONS variables) that names ids the
 * registry does not have: the one place unknown ids are found; each caller reports them its own way.
 */
export function instrumentationIdProblems(
  lists: { enabled?: readonly string[]; disabled: readonly string[] },
  registry: Readonly<Record<string, InstrumentationFactory>> = DYNTEL_INSTRUMENTATIONS,
  sources: InstrumentationListSources = FROM_ENV,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const variables = [
    [sources.enabled, lists.enabled ?? []],
    [sources.disabled, lists.disabled],
  ] as const;
  for (const [variable, ids] of variables) {
    const unknown = unknownIds(registry, ids);
    if (unknown.length === 0) continue;
    problems.push({
      variable,
      value: ids.join(','),
      expected: acceptedInstrumentationIds(registry),
      consequence: `ignoring ${showItems(unknown)}`,
    });
  }
  return problems;
}

/**
 * Every dyntel instrumentation, ready for `new NodeSDK({ instrumentations })`. A list not given
 * in `options` comes from DYNTEL_ENABLED_INSTRUMENTATIONS or DYNTEL_DISABLED_INSTRUMENTATIONS.
 * Unknown ids are reported through the OpenTelemetry diagnostic logger and skipped.
 */
export function getDyntelInstrumentations(options: DyntelInstrumentationsOptions = {}): Instrumentation[] {
  const fromEnv = options.enabled === undefined || options.disabled === undefined ? readInstrumentationLists() : undefined;
  const enabled = options.enabled ?? fromEnv?.enabled;
  const disabled = options.disabled ?? fromEnv?.disabled ?? [];
  const sources = {
    enabled: options.enabled ? 'getDyntelInstrumentations({ enabled })' : FROM_ENV.enabled,
    disabled: options.disabled ? 'getDyntelInstrumentations({ disabled })' : FROM_ENV.disabled,
  };
  for (const problem of instrumentationIdProblems({ enabled, disabled }, DYNTEL_INSTRUMENTATIONS, sources)) {
    diag.warn(formatProblem(problem));
  }
  return buildInstrumentations(DYNTEL_INSTRUMENTATIONS, { enabled, disabled, config: options.config }, {
    failed: (id, error) => diag.error(`@dyntel/register: the ${id} instrumentation could not be created; it is skipped`, error),
  });
}

/** Where {@link buildInstrumentations} reports a factory that throws. */
export interface InstrumentationReporter {
  failed(id: string, error: unknown): void;
}

/**
 * Builds the instrumentations the lists select from `registry`: a factory that throws costs only
 * its own instrumentation. Ids the registry does not have are skipped here; callers report them
 * through {@link instrumentationIdProblems}.
 */
export function buildInstrumentations(
  registry: Readonly<Record<string, InstrumentationFactory>>,
  options: { enabled?: readonly string[]; disabled: readonly string[]; config?: DyntelInstrumentationsOptions['config'] },
  report: InstrumentationReporter,
): Instrumentation[] {
  const built: Instrumentation[] = [];
  for (const id of selectInstrumentations(registry, options.enabled, options.disabled).ids) {
    try {
      built.push(registry[id]!(options.config?.[id]));
    } catch (error) {
      report.failed(id, error);
    }
  }
  return built;
}
