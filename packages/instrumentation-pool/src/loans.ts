/**
 * When each resource now lent out was handed out (monotonic milliseconds), for the use time.
 * Object resources are held weakly: a resource that references its pool must not keep the pool
 * alive through telemetry.
 */
export class Loans {
  readonly #objects = new WeakMap<object, number>();
  // Primitive resources (rare: a number, a string) cannot reference anything.
  readonly #primitives = new Map<unknown, number>();

  /** Notes that `resource` was handed out at `atMillis` (from `monotonicMillis()`). */
  lent(resource: unknown, atMillis: number): void {
    if (isObject(resource)) this.#objects.set(resource, atMillis);
    else this.#primitives.set(resource, atMillis);
  }

  /** When `resource` was handed out, forgetting it; undefined when it was not seen lent. */
  take(resource: unknown): number | undefined {
    if (isObject(resource)) {
      const start = this.#objects.get(resource);
      if (start !== undefined) this.#objects.delete(resource);
      return start;
    }
    const start = this.#primitives.get(resource);
    if (start !== undefined) this.#primitives.delete(resource);
    return start;
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
