/**
 * Whether a value is a promise or another thenable (an object or function with a `then`
 * method), the test the instrumentations use to tell an async result from a sync one.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
