/**
 * The components an instrumentation has seen, held weakly, for observable metrics (a
 * breaker's status, a pool's sizes, actors alive): a component whose owner the application
 * drops is skipped at once by {@link forEachLive} and forgotten when the GC reports it, so
 * an application that creates components per request cannot leak them through telemetry.
 */
export class LiveComponents<C extends object> {
  // Each record and a weak reference to the object it describes.
  readonly #live = new Map<C, WeakRef<object>>();
  readonly #finalizer = new FinalizationRegistry<C>((record) => this.#live.delete(record));

  /** Starts reporting `record` until `owner` is garbage-collected. */
  add(owner: object, record: C): void {
    this.#live.set(record, new WeakRef(owner));
    this.#finalizer.register(owner, record);
  }

  /** Calls `visit` for each record whose owner is alive, forgetting the others. */
  forEachLive(visit: (record: C) => void): void {
    for (const [record, owner] of this.#live) {
      if (owner.deref() === undefined) {
        this.#live.delete(record);
        continue;
      }
      visit(record);
    }
  }

  /** How many records are held, collected owners not yet forgotten included. */
  get size(): number {
    return this.#live.size;
  }
}
