import type { PoolLibrary } from './types';

/**
 * A pool's sizes as its library counts them, read at collection time. A size the library
 * does not have is left undefined and not reported.
 */
export interface PoolSizes {
  /** Connections waiting in the pool. */
  idle: number | undefined;
  /** Connections lent out. */
  used: number | undefined;
  /** Acquire requests waiting for a connection. */
  pending: number | undefined;
  /** The most connections allowed. */
  max: number | undefined;
  /** The most idle connections allowed. */
  idleMax: number | undefined;
  /** The fewest idle connections kept. */
  idleMin: number | undefined;
}

/**
 * What the family-neutral core needs from one pool library: a tarn or knex adapter implements
 * this and calls {@link PoolTelemetry} from its patches. It must not keep the pools it reads.
 */
export interface PoolAdapter<P extends object = object> {
  readonly library: PoolLibrary;
  /** Fills `sizes` from the live pool; called once per pool and collection. */
  read(pool: P, sizes: PoolSizes): void;
  /** A name derived from the pool itself (knex: `host:port/database`, never credentials). */
  derivedName?(pool: P): string | undefined;
  /** Another object a name may have been given to with `namePool` (the pool's factory). */
  alsoNamedBy?(pool: P): object | undefined;
}
