import { createRequire } from 'node:module';
import { CircuitBreakerInstrumentation } from '@dyntel/instrumentation-circuit-breaker';
import { packageInfo } from '@dyntel/test-support';
import { Harness } from './harness';

const require = createRequire(import.meta.url);

/**
 * A retry harness with the circuit-breaker instrumentation on the same providers, for
 * compositions of retries and breakers (cockatiel's `wrap`, a retry inside an opossum breaker):
 * both patch the library as their hooks would, and both are undone by {@link close}.
 */
export class RetryAndBreakerHarness extends Harness {
  readonly breakers = new CircuitBreakerInstrumentation({ enabled: false });
  readonly #undo: (() => void)[] = [];

  constructor() {
    super();
    this.breakers.setTracerProvider(this.tracerProvider);
    this.breakers.setMeterProvider(this.meterProvider);
    this.breakers.setLoggerProvider(this.loggerProvider);
  }

  /** Requires an installed package and patches it with both instrumentations. */
  requireBoth<T>(pkg: string): T {
    return this.#patchBreakers(this.require<T>(pkg), pkg);
  }

  /** Requires an installed breaker library (opossum) and patches it with the circuit-breaker instrumentation only. */
  requireBreaker<T>(pkg: string): T {
    return this.#patchBreakers(require(pkg) as T, pkg);
  }

  /** Imports an installed package and patches its namespace with both instrumentations. */
  async importBoth<T>(pkg: string): Promise<T> {
    return this.#patchBreakers(await this.import<T>(pkg), pkg);
  }

  override async close(): Promise<void> {
    for (const undo of this.#undo.splice(0).reverse()) undo();
    await super.close();
  }

  #patchBreakers<T>(moduleExports: T, pkg: string): T {
    const { name, version } = packageInfo(pkg);
    const definition = this.breakers.getModuleDefinitions().find((d) => d.name === name);
    if (!definition?.patch || !definition.unpatch) throw new Error(`the circuit-breaker instrumentation has no module definition for ${name}`);
    definition.patch(moduleExports, version);
    this.#undo.push(() => definition.unpatch!(moduleExports, version));
    return moduleExports;
  }
}
