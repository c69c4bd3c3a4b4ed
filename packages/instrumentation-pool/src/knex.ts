import { reportInstrumentationError, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
import { knexPoolName } from './knex-pool-name';
import type { PoolAdapter } from './pool-adapter';
import type { PoolTelemetry } from './pool-telemetry';
import { adoptTarnPool, readTarnSizes, type TarnPool } from './tarn';

/** What the instrumentation reads of a knex `Client`. */
interface KnexClient {
  pool: unknown;
  /** false for a pool the application handed knex (`connectionPool`): it is reported as its own. */
  _ownsPool?: boolean;
  connectionSettings?: unknown;
}

/** The knex module: its main function, in CJS exports or an ESM namespace, with `Client` on it. */
interface KnexModule {
  Client: { prototype: object };
}

// The client that created each knex pool, for its name; held as long as the pool is.
const clients = new WeakMap<object, KnexClient>();

/**
 * A pool knex created over tarn: tarn's sizes, the name `host:port/database` derived from the
 * client's connection settings when the pool is first reported, and `namePool(db.client, name)`.
 */
export const KNEX_ADAPTER: PoolAdapter<TarnPool> = {
  library: 'knex',
  read: readTarnSizes,
  derivedName: (pool) => knexPoolName(clients.get(pool)?.connectionSettings),
  alsoNamedBy: (pool) => clients.get(pool),
};

/**
 * Patches knex 3: `Client.prototype.initializePool` (run by the client's constructor and by
 * `knex.initialize()`) marks the tarn pool it created as knex's and reports it as started;
 * the tarn patch does the rest, and `knex.destroy()` destroys the pool, which stops it.
 */
export class KnexPatcher implements ModulePatcher<KnexModule> {
  readonly moduleName = 'knex';

  constructor(
    private readonly telemetry: PoolTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  resolve(moduleExports: unknown): KnexModule | undefined {
    const exports = moduleExports as { default?: unknown; knex?: unknown } | null | undefined;
    for (const candidate of [moduleExports, exports?.default, exports?.knex]) {
      const client: unknown = (candidate as { Client?: unknown } | null | undefined)?.Client;
      if (typeof client === 'function' && typeof (client.prototype as { initializePool?: unknown } | undefined)?.initializePool === 'function') return candidate as KnexModule;
    }
    return undefined;
  }

  prototypeOf(target: KnexModule): object {
    return target.Client.prototype;
  }

  patch(target: KnexModule): void {
    const telemetry = this.telemetry;
    this.shim.wrap(target.Client.prototype, 'initializePool', (original) => wrapInitializePool(original, telemetry));
  }

  unpatch(target: KnexModule): void {
    this.shim.unwrap(target.Client.prototype, 'initializePool');
  }
}

function wrapInitializePool(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function initializePool(this: KnexClient, ...args: unknown[]): unknown {
    const before = this.pool;
    const result: unknown = Reflect.apply(original, this, args);
    try {
      const pool = this.pool;
      if (pool !== before && typeof pool === 'object' && pool !== null && this._ownsPool !== false) {
        clients.set(pool, this);
        adoptTarnPool(pool, KNEX_ADAPTER);
        telemetry.started(pool as TarnPool, KNEX_ADAPTER);
      }
    } catch (error) {
      reportInstrumentationError('observing a knex pool', error);
    }
    return result;
  };
}
