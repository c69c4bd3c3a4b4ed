import type * as GenericPool from 'generic-pool';

/** The generic-pool module as the tests use it. */
export type GenericPoolModule = typeof GenericPool;

/** A resource the test factories hand out: a numbered object. */
export interface Resource {
  id: number;
}

/** A factory whose creates and destroys the test settles by hand or at once, and which counts them. */
export class TestFactory implements GenericPool.Factory<Resource> {
  created = 0;
  destroyed = 0;
  /** When set, create() rejects with it (after a turn of the event loop, as a refused connection would). */
  createError: unknown = undefined;
  /** How many creates fail with {@link createError} before they succeed again; all of them when undefined. */
  failuresLeft: number | undefined = undefined;
  /** When set, destroy() rejects with it. */
  destroyError: unknown = undefined;
  /** When set, validate() answers it. */
  valid: boolean | undefined = undefined;

  async create(): Promise<Resource> {
    if (this.createError !== undefined && (this.failuresLeft === undefined || this.failuresLeft > 0)) {
      if (this.failuresLeft !== undefined) this.failuresLeft -= 1;
      await new Promise((resolve) => setImmediate(resolve));
      throw this.createError;
    }
    this.created += 1;
    return { id: this.created };
  }

  async destroy(): Promise<void> {
    this.destroyed += 1;
    if (this.destroyError !== undefined) throw this.destroyError;
  }

  async validate(): Promise<boolean> {
    return this.valid ?? true;
  }
}

/** The sizes generic-pool reports of itself, named as the metrics are. */
export function ownSizes(pool: GenericPool.Pool<unknown>): Record<string, number> {
  return { idle: pool.available, used: pool.borrowed, pending: pool.pending, max: pool.max, idleMax: pool.max, idleMin: pool.min };
}
