import type { InstrumentationBase, InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { TelemetrySpec } from '../telemetry-preload';
import type { Probe } from './probe';

/**
 * Loads one library module for an adapter. In the suite's instrumented runs it is patched by the
 * harness; in its baseline runs it is the untouched module.
 */
export type ModuleLoader = <T>(pkg: string, via: 'require' | 'import') => Promise<T>;

/** One operation that ends in a given outcome. */
export interface OutcomeCase<L> {
  /**
   * Prepares what the operation needs (a breaker it opens first, say) and returns the call whose
   * outcome is checked: it must use the probe's user functions and return what the library's API
   * returned, unawaited.
   */
  prepare(library: L, probe: Probe): (() => unknown) | Promise<() => unknown>;
  /** The `error.type` its span and duration point carry; none when absent. */
  errorType?: string;
}

/** How an instrumented library plugs into {@link describeInstrumentationContract}. */
export interface InstrumentationContractAdapter<L, O extends string, C extends InstrumentationConfig = InstrumentationConfig> {
  /** The library as the tests load it (`opossum-v6`), shown in the titles. */
  title: string;
  /** Creates the instrumentation under test. */
  create(config: C): InstrumentationBase;
  /** Config of every instrumentation the suite creates. */
  config?: C;
  /** Loads the library module(s) through `load` and returns what the cases use. */
  library(load: ModuleLoader): Promise<L>;
  /** The family's closed outcome enum, e.g. `CircuitBreakerOutcome` from `@dyntel/semconv`. */
  outcomes: Readonly<Record<string, O>>;
  /** The outcome of an operation whose user function succeeded, and of one whose user function failed. */
  success: O;
  failure: O;
  /** An operation for each outcome the library produces. */
  cases: Partial<Record<O, OutcomeCase<L>>>;
  /** The outcomes the library cannot produce, each with the reason. */
  notProduced?: Partial<Record<O, string>>;
  /** What every operation emits. */
  expected: {
    /** The span name of the operations the cases run. */
    spanName: string;
    /**
     * The attribute that carries the outcome on spans and on the duration metric. Absent for an
     * operation whose telemetry has no outcome enum (a retry attempt: success and failure are
     * told apart by status and `error.type` alone).
     */
    outcomeAttribute?: string;
    /** Attributes every such span and duration point carries besides the outcome (the component's name). */
    attributes: Readonly<Record<string, string | number | boolean>>;
    /** The duration histogram: one point per operation. */
    durationMetric: string;
  };
  /** Config keys of the user hooks (callbacks) the suite makes throw. */
  hooks?: readonly (keyof C & string)[];
  /** CJS and ESM loading: child processes with the shared telemetry preload and the built package. */
  loading?: {
    /** The built package and its instrumentation class. */
    instrumentation: Omit<TelemetrySpec, 'loader'>;
    /** The fixtures' directory, their working directory. */
    cwd: string;
    /** An app that requires the library (run with `--require`), and one that imports it (run with `--import`). */
    apps: { require: string; import: string };
    /** The span name the apps' operations get. */
    spanName: string;
  };
}
