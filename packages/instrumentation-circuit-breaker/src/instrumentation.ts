import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { CockatielPatcher } from './cockatiel';
import { OpossumPatcher } from './opossum';
import type { Shim } from './shim';
import { BreakerTelemetry } from './telemetry';
import type { CircuitBreakerInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** The opossum majors this instrumentation supports. */
export const OPOSSUM_VERSIONS = '>=6 <11';
/** The cockatiel majors this instrumentation supports. */
export const COCKATIEL_VERSIONS = '>=3 <5';

const HOOKS = ['callHook', 'responseHook', 'breakerName'] as const;

/**
 * OpenTelemetry instrumentation for the opossum and cockatiel circuit breakers: a span per
 * protected call, the call duration histogram, state-change counter and status metric, and a
 * state-change event for every transition, as the dyntel contract names them.
 */
export class CircuitBreakerInstrumentation extends InstrumentationBase<CircuitBreakerInstrumentationConfig> {
  // Assigned in _updateMetricInstruments(), which the base constructor calls before any field
  // initializer of this class would run; `declare` keeps TypeScript from resetting it.
  declare private _telemetry: BreakerTelemetry | undefined;

  constructor(config: CircuitBreakerInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  override setConfig(config: CircuitBreakerInstrumentationConfig = {}): void {
    validateConfig(config);
    super.setConfig(config);
  }

  /** The metrics, call recorder and events shared by both patchers. */
  private get telemetry(): BreakerTelemetry {
    if (this._telemetry === undefined) {
      this._telemetry = new BreakerTelemetry({
        tracer: () => this.tracer,
        logger: () => this.logger,
        config: () => this._config,
      });
    }
    return this._telemetry;
  }

  protected override _updateMetricInstruments(): void {
    this.telemetry.metrics.bind(this.meter);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    const shim: Shim = {
      wrap: (target, name, wrapper) => {
        this._wrap(target as Record<string, never>, name, wrapper as never);
      },
      unwrap: (target, name) => {
        if (typeof (target as Record<string, unknown>)[name] === 'function') this._unwrap(target as Record<string, never>, name);
      },
    };
    const opossum = new OpossumPatcher(this.telemetry, shim);
    const cockatiel = new CockatielPatcher(this.telemetry, shim);
    return [
      new InstrumentationNodeModuleDefinition(
        'opossum',
        [OPOSSUM_VERSIONS],
        (moduleExports: unknown, version?: string) => opossum.patch(moduleExports, version),
        (moduleExports: unknown) => opossum.unpatch(moduleExports),
      ),
      new InstrumentationNodeModuleDefinition(
        'cockatiel',
        [COCKATIEL_VERSIONS],
        (moduleExports: unknown, version?: string) => cockatiel.patch(moduleExports, version),
        (moduleExports: unknown) => cockatiel.unpatch(moduleExports),
      ),
    ];
  }
}

function validateConfig(config: CircuitBreakerInstrumentationConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(`CircuitBreakerInstrumentation: config must be an object, got ${config === null ? 'null' : typeof config}`);
  }
  for (const hook of HOOKS) {
    const value = config[hook];
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`CircuitBreakerInstrumentation: config.${hook} must be a function or undefined, got ${typeof value}`);
    }
  }
  for (const flag of ['enabled', 'requireParentSpan'] as const) {
    const value = config[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(`CircuitBreakerInstrumentation: config.${flag} must be a boolean or undefined, got ${typeof value}`);
    }
  }
}
