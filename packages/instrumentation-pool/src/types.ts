import type { DyntelInstrumentationConfig, SpanHook } from '@dyntel/instrumentation-kit';

/** The pool libraries this package instruments. */
export type PoolLibrary = 'generic-pool' | 'tarn' | 'knex';

/** What {@link PoolInstrumentationConfig.poolName} is told about a pool. */
export interface PoolNameInfo {
  library: PoolLibrary;
  /** The pool object. */
  pool: object;
}

/** What {@link PoolInstrumentationConfig.requestHook} is told when an acquire starts. */
export interface PoolAcquireInfo {
  library: PoolLibrary;
  /** The pool's name as recorded on spans, if it has one. */
  name: string | undefined;
}

/** What {@link PoolInstrumentationConfig.responseHook} is told when an acquire ends. */
export interface PoolAcquireEndInfo extends PoolAcquireInfo {
  /** The resource the caller got; undefined when the acquire failed. */
  resource: unknown;
  /** The error the caller got; undefined on success. */
  error: unknown;
  /** Whether the acquire failed because the pool's acquire timeout fired. */
  timedOut: boolean;
}

/** A hook that adds attributes to a `pool.acquire` span. It runs only for recording spans; a throw is caught and reported. */
export type PoolSpanHook<Info> = SpanHook<Info>;

/** Configuration of {@link PoolInstrumentation}. Every option is optional. */
export interface PoolInstrumentationConfig extends DyntelInstrumentationConfig {
  /**
   * Names a pool, called once per pool when it is first seen. Return `undefined` to keep the
   * default: the name given with {@link namePool}, else `{library}-{n}`. Generated-looking names
   * (UUIDs, long hex, pure numbers) are dropped whatever their source.
   */
  poolName?: (info: PoolNameInfo) => string | undefined;
  /** Adds attributes to the `pool.acquire` span when the acquire starts. */
  requestHook?: PoolSpanHook<PoolAcquireInfo>;
  /** Adds attributes to the `pool.acquire` span when the acquire ends, before it is ended. */
  responseHook?: PoolSpanHook<PoolAcquireEndInfo>;
}
