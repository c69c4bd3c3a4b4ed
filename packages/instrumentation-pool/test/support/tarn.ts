import type * as Tarn from 'tarn';
import type { PoolOptions } from 'tarn/dist/Pool';
import type { TarnPool } from '../../src/tarn';

/** The tarn module as the tests use it. */
export type TarnModule = typeof Tarn;

/** A resource the test pools hand out: a numbered object. */
export interface TarnResource {
  id: number;
}

/** The options of a tarn pool whose creates and destroys the test steers, and which counts them. */
export class TarnFactory {
  created = 0;
  destroyed = 0;
  /** When set, create rejects with it. */
  createError: unknown = undefined;
  /** When set, destroy rejects with it. */
  destroyError: unknown = undefined;

  /** tarn's options with this factory's create and destroy, and `options` on top. */
  options(options: { min?: number; max: number } & Partial<Omit<PoolOptions<TarnResource>, 'create' | 'destroy'>>): PoolOptions<TarnResource> {
    return {
      min: 0,
      create: async () => {
        if (this.createError !== undefined) throw this.createError;
        this.created += 1;
        return { id: this.created };
      },
      destroy: async () => {
        this.destroyed += 1;
        if (this.destroyError !== undefined) throw this.destroyError;
      },
      ...options,
    };
  }
}

/** The sizes tarn reports of itself, named as the metrics are. */
export function ownTarnSizes(tarnPool: Tarn.Pool<TarnResource>): Record<string, number> {
  // max and min are public at run time; tarn's typings call them protected.
  const pool = tarnPool as unknown as TarnPool;
  return { idle: pool.numFree(), used: pool.numUsed(), pending: pool.numPendingAcquires(), max: pool.max, idleMax: pool.max, idleMin: pool.min };
}
