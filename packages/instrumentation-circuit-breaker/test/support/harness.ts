import type { Sampler } from '@opentelemetry/sdk-trace';
import { InstrumentationHarness } from '@dyntel/test-support';
import { CircuitBreakerInstrumentation } from '../../src/instrumentation';
import type { CircuitBreakerInstrumentationConfig } from '../../src/types';

/** The opossum packages installed for tests: the real name and the npm aliases. */
export const OPOSSUM_PACKAGES = ['opossum-v6', 'opossum-v7', 'opossum-v8', 'opossum-v9', 'opossum'] as const;
/** The cockatiel packages installed for tests: v3 (CJS, alias) and v4 (ESM only). */
export const COCKATIEL_PACKAGES = ['cockatiel-v3', 'cockatiel'] as const;

/** The shared harness around a fresh CircuitBreakerInstrumentation, with a loader per library. */
export class Harness extends InstrumentationHarness<CircuitBreakerInstrumentation, CircuitBreakerInstrumentationConfig> {
  constructor(config: CircuitBreakerInstrumentationConfig = {}, sampler?: Sampler) {
    super((c) => new CircuitBreakerInstrumentation(c), config, { sampler });
  }

  /** Requires an opossum package and patches it as the require hook would. */
  opossum<T>(pkg: string): T {
    return this.require<T>(pkg);
  }

  /** Imports a cockatiel package (v4 is ESM only) and patches its namespace as the import hook would. */
  cockatiel<T>(pkg: string): Promise<T> {
    return this.import<T>(pkg);
  }
}
