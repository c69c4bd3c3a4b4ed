import type { Meter } from '@opentelemetry/api';
import { DyntelInstrumentation, type AnyModulePatcher, type ConfigSchema } from '@dyntel/instrumentation-kit';
import { CockatielPatcher } from './cockatiel';
import { createBreakerInstruments, type BreakerInstruments } from './metrics';
import { OpossumPatcher } from './opossum';
import { BreakerTelemetry } from './telemetry';
import type { CircuitBreakerInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** The opossum majors this instrumentation supports. */
export const OPOSSUM_VERSIONS = '>=6 <11';
/** The cockatiel majors this instrumentation supports. */
export const COCKATIEL_VERSIONS = '>=3 <5';

const CONFIG_SCHEMA: ConfigSchema = Object.freeze({ requestHook: 'function', responseHook: 'function', breakerName: 'function' });

/**
 * OpenTelemetry instrumentation for the opossum and cockatiel circuit breakers: a span per
 * protected call, the call duration histogram, state-change counter and status metric, and a
 * state-change event for every transition, as the dyntel telemetry contract names them.
 */
export class CircuitBreakerInstrumentation extends DyntelInstrumentation<CircuitBreakerInstrumentationConfig, BreakerInstruments> {
  // Created on first use: the base constructor calls init() before field initialisers run.
  declare private _telemetry: BreakerTelemetry | undefined;

  constructor(config: CircuitBreakerInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The recorder, metrics and events shared by both patchers. */
  private get telemetry(): BreakerTelemetry {
    return (this._telemetry ??= new BreakerTelemetry({
      tracer: () => this.tracer,
      logger: () => this.logger,
      config: () => this.config,
      instruments: () => this.instruments,
    }));
  }

  protected override configSchema(): ConfigSchema {
    return CONFIG_SCHEMA;
  }

  protected override createInstruments(meter: Meter): BreakerInstruments {
    const instruments = createBreakerInstruments(meter);
    instruments.status.addCallback(this.telemetry.status.observe);
    return instruments;
  }

  protected override instrumentsReplaced(previous: BreakerInstruments): void {
    previous.status.removeCallback(this.telemetry.status.observe);
  }

  protected override patchers(): AnyModulePatcher[] {
    return [
      new OpossumPatcher(this.telemetry, this.shim, OPOSSUM_VERSIONS),
      new CockatielPatcher(this.telemetry, this.shim, COCKATIEL_VERSIONS),
    ];
  }
}
