/** The error the retried functions of these tests fail with. */
export class Unavailable extends Error {
  override name = 'Unavailable';
}

/** A retried function named `fetchInventory`: fails `failures` times with Unavailable (`down 1`, `down 2`...), then resolves `value`. */
export function flaky<T>(failures: number, value: T) {
  let calls = 0;
  return async function fetchInventory(): Promise<T> {
    calls += 1;
    if (calls <= failures) throw new Unavailable(`down ${calls}`);
    return value;
  };
}
