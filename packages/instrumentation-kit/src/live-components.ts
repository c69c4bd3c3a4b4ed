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

  /** Starts reporting `record` until `owner` is garbage-collected or the record is {@link delete}d. */
  add(owner: object, record: C): void {
    this.#live.set(record, new WeakRef(owner));
    // The record is its own unregister token, so that delete() leaves nothing in the registry.
    this.#finalizer.register(owner, record, record);
  }

  /** Stops reporting `record` now (a pool drained, an actor stopped), before its owner is collected. */
  delete(record: C): void {
    if (this.#live.delete(record)) this.#finalizer.unregister(record);
  }

  /**
   * Calls `visit` for each record whose owner is alive, with the owner (read it there: the
   * record must not reference it, or it could never be collected), forgetting the others.
   */
  forEachLive(visit: (record: C, owner: object) => void): void {
    for (const [record, ref] of this.#live) {
      const owner = ref.deref();
      if (owner === undefined) {
        this.#live.delete(record);
        continue;
      }
      visit(record, owner);
    }
  }

  /** How many records are held, collected owners not yet forgotten included. */
  get size(): number {
    return this.#live.size;
  }
}
