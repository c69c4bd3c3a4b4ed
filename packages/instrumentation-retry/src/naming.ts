import { ComponentNaming } from '@dyntel/instrumentation-kit';
import { ATTR_RETRY_NAME } from '@dyntel/semconv';

/** The names of retries, shared by every copy of this package in the process. */
export const retryNames = new ComponentNaming(ATTR_RETRY_NAME, 'the function that is retried, or the options object of the retry');

/**
 * Gives a retry a name. Retry libraries have none, so this (or the `retryName` option) is how
 * a retry is told apart from the others; a retried function with a real name of its own is
 * named after it. Name the function you pass or the options object you reuse; it is
 * returned, so the call can wrap the expression:
 *
 * ```ts
 * await pRetry(nameRetry(() => fetchInventory(id), 'inventory'), { retries: 3 });
 * ```
 */
export function nameRetry<T extends object>(fnOrOptions: T, name: string): T {
  return retryNames.give('nameRetry', fnOrOptions, name);
}
