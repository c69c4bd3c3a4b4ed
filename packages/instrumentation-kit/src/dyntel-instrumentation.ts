import { createNoopMeter, type Meter } from '@opentelemetry/api';
import {
  InstrumentationBase,
  type InstrumentationConfig,
  type InstrumentationModuleDefinition,
} from '@opentelemetry/instrumentation';
import { BASE_CONFIG_SCHEMA, validateConfig, type ConfigSchema } from './config-schema';
import { safely } from './guard';
import { functionExportDefinition, isFunctionExportPatcher, type FunctionExportPatcher } from './function-export';
import { patcherDefinition, type AnyModulePatcher } from './module-patcher';
import type { AnyFunction, Shim } from './shim';

/** Options every dyntel instrumentation accepts. */
export interface DyntelInstrumentationConfig extends InstrumentationConfig {
  /**
   * Create operation spans only inside an existing span (a request, a job), as many
   * OpenTelemetry instrumentations allow. Metrics and events are unaffected.
   * @default false
   */
  requireParentSpan?: boolean;
}

/**
 * The base of every dyntel instrumentation, over `InstrumentationBase`:
 * - config is validated on every `setConfig` (and so at construction) against
 *   {@link configSchema}, with the one dyntel message format;
 * - instruments are created lazily from the current meter by {@link createInstruments} and
 *   re-created when the meter provider changes. `InstrumentationBase` calls
 *   `_updateMetricInstruments()` from its constructor, before any field initialiser of a
 *   subclass has run, which is why the state lives in `declare`d fields here and nowhere else;
 * - libraries are patched by `ModulePatcher`s, once per prototype however often a module
 *   is loaded, with one {@link Shim} over the base's wrap/unwrap.
 */
export abstract class DyntelInstrumentation<
  Config extends DyntelInstrumentationConfig,
  Instruments extends object,
> extends InstrumentationBase<Config> {
  declare private _dyntelInstruments: Instruments | undefined;
  declare private _dyntelShim: Shim | undefined;

  /** The options this instrumentation accepts beyond {@link BASE_CONFIG_SCHEMA}, by kind. */
  protected abstract configSchema(): ConfigSchema;
  /** Creates this instrumentation's instruments on a meter. */
  protected abstract createInstruments(meter: Meter): Instruments;
  /** The library patchers, one per supported module. */
  protected abstract patchers(): (AnyModulePatcher | FunctionExportPatcher)[];

  /**
   * Called when instruments are replaced because the meter provider changed; observable
   * instruments move their callbacks from `previous` to `next` here.
   */
  protected instrumentsReplaced(_previous: Instruments, _next: Instruments): void {}

  override setConfig(config: Config = {} as Config): void {
    validateConfig(this.instrumentationName, { ...BASE_CONFIG_SCHEMA, ...this.configSchema() }, config);
    super.setConfig(config);
  }

  /** The current config, with defaults the base adds (`enabled`). */
  protected get config(): Config {
    return this._config;
  }

  /**
   * This instrumentation's instruments on the current meter, created on first use. A meter
   * that cannot create them is reported once and replaced by a no-op one, so that spans and
   * events go on.
   */
  protected get instruments(): Instruments {
    return (this._dyntelInstruments ??=
      safely(`${this.instrumentationName}: creating instruments`, () => this.createInstruments(this.meter)) ??
      this.createInstruments(createNoopMeter()));
  }

  protected override _updateMetricInstruments(): void {
    const previous = this._dyntelInstruments;
    if (previous === undefined) return;
    // A meter that fails to create instruments leaves the previous ones in place.
    const next = safely(`${this.instrumentationName}: creating instruments`, () => this.createInstruments(this.meter));
    if (next === undefined) return;
    this._dyntelInstruments = next;
    safely(`${this.instrumentationName}: moving observable callbacks`, () => this.instrumentsReplaced(previous, next));
  }

  /** The wrapping primitives handed to patchers. */
  protected get shim(): Shim {
    return (this._dyntelShim ??= {
      wrap: (target, name, wrapper) => {
        this._wrap(target as Record<string, AnyFunction>, name, wrapper as never);
      },
      unwrap: (target, name) => {
        if (typeof (target as Record<string, unknown>)[name] === 'function') this._unwrap(target as Record<string, AnyFunction>, name);
      },
    });
  }

  protected override init(): InstrumentationModuleDefinition[] {
    return this.patchers().map((patcher) =>
      isFunctionExportPatcher(patcher) ? functionExportDefinition(this.instrumentationName, patcher) : patcherDefinition(this.instrumentationName, patcher),
    );
  }
}
