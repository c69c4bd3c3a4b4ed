import type { Meter } from '@opentelemetry/api';
import { DyntelInstrumentation, safely, type AnyModulePatcher, type ConfigSchema } from '@dyntel/instrumentation-kit';
import { GenericPoolPatcher } from './generic-pool';
import { KnexPatcher } from './knex';
import { createPoolInstruments, observablesOf, type PoolInstruments } from './metrics';
import { PoolTelemetry } from './pool-telemetry';
import { TarnPatcher } from './tarn';
import type { PoolInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** The generic-pool versions instrumented. */
export const GENERIC_POOL_VERSIONS = '>=3 <4';

/** The tarn versions instrumented. */
export const TARN_VERSIONS = '>=3 <4';

/** The knex versions instrumented (their pools are tarn's). */
export const KNEX_VERSIONS = '>=3 <4';

const CONFIG_SCHEMA: ConfigSchema = Object.freeze({ poolName: 'function', requestHook: 'function', responseHook: 'function' });

/**
 * OpenTelemetry instrumentation for resource pools: OpenTelemetry's `db.client.connection.*`
 * pool metrics (sizes read from the live pools at collection, wait, use and create times,
 * timeouts), `resilience.pool.errors`, a `pool.acquire` span under a parent span, and
 * lifecycle events when a pool starts and drains, as the dyntel telemetry contract names them.
 */
export class PoolInstrumentation extends DyntelInstrumentation<PoolInstrumentationConfig, PoolInstruments> {
  // Created on first use: the base constructor calls these before field initialisers run.
  declare private _telemetry: PoolTelemetry | undefined;
  declare private _observe: ((result: Parameters<Parameters<Meter['addBatchObservableCallback']>[0]>[0]) => void) | undefined;

  constructor(config: PoolInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The core every library patcher shares. */
  protected get telemetry(): PoolTelemetry {
    return (this._telemetry ??= new PoolTelemetry({
      tracer: () => this.tracer,
      logger: () => this.logger,
      config: () => this.config,
      instruments: () => this.instruments,
    }));
  }

  // One batch callback reads every pool once per collection, for all five observables.
  private get observe(): NonNullable<PoolInstrumentation['_observe']> {
    return (this._observe ??= (result) => {
      safely('pool sizes callback', () => this.telemetry.registry.observe(result, this.instruments));
    });
  }

  protected override configSchema(): ConfigSchema {
    return CONFIG_SCHEMA;
  }

  protected override createInstruments(meter: Meter): PoolInstruments {
    const instruments = createPoolInstruments(meter);
    meter.addBatchObservableCallback(this.observe, observablesOf(instruments));
    return instruments;
  }

  protected override instrumentsReplaced(previous: PoolInstruments): void {
    previous.meter.removeBatchObservableCallback(this.observe, observablesOf(previous));
  }

  protected override patchers(): AnyModulePatcher[] {
    return [
      new GenericPoolPatcher(this.telemetry, this.shim, GENERIC_POOL_VERSIONS),
      new TarnPatcher(this.telemetry, this.shim, TARN_VERSIONS),
      new KnexPatcher(this.telemetry, this.shim, KNEX_VERSIONS),
    ];
  }
}
