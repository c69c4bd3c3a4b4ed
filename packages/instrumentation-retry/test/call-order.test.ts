import { afterEach, describe, expect, it } from 'vitest';
import { microtaskChain, ordersOf, type OrderCase } from '@dyntel/test-support';
import { ATTR_ERROR_TYPE, ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_OUTCOME } from '@dyntel/semconv';
import type AsyncRetry from 'async-retry';
import type PromiseRetry from 'promise-retry';
import type * as Cockatiel from 'cockatiel';
import type * as ExponentialBackoff from 'exponential-backoff';
import { COCKATIEL_PACKAGES, Harness, P_RETRY_PACKAGES } from './support/harness';
import { PRetryHarness, type PRetryModule } from './support/p-retry';
import { Unavailable } from './support/failures';

// Telemetry may not move the caller's callbacks by a single microtask. Each case logs, in the
// order it runs, every attempt and a chain of microtasks each attempt queues, `then`/`catch`/
// `finally` on the promise the library returned, and chains of microtasks queued before and
// after the call; the log with the instrumentation must equal the log without it. Waits are 0.

/** Loads a library without the instrumentation, for the run it is compared with. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bareRequire = (id: string): unknown => require(id);

/**
 * The user's function: logs its attempt and queues a chain of microtasks from it, then fails
 * its first `failures` attempts with Unavailable (or with what `fail` returns) and resolves 1.
 */
function attempts(log: string[], failures: number, fail: (attempt: number, args: unknown[]) => unknown = (n) => new Unavailable(`down ${n}`)) {
  let count = 0;
  return async (...args: unknown[]): Promise<number> => {
    count += 1;
    log.push(`attempt${count}`);
    void microtaskChain(log, `a${count}.`, 6);
    if (count <= failures) throw fail(count, args);
    return 1;
  };
}

/** The outcome, attempt count and error type of every call span, in order. */
function calls(harness: Harness): unknown[][] {
  return harness
    .spans()
    .filter((s) => s.name.startsWith('retry.call'))
    .map((s) => [s.attributes[ATTR_RETRY_OUTCOME], s.attributes[ATTR_RETRY_ATTEMPT_COUNT], s.attributes[ATTR_ERROR_TYPE]]);
}

const OUTCOMES = [
  ['success', 1, undefined],
  ['success', 2, undefined],
  ['exhausted', 2, 'Unavailable'],
  ['aborted', 1, 'Unavailable'],
];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function asyncRetryCases(retry: typeof AsyncRetry): Record<string, OrderCase> {
  const options = { retries: 2, minTimeout: 0, randomize: false };
  return {
    first: (log) => retry(attempts(log, 0), options),
    retried: (log) => retry(attempts(log, 1), options),
    exhausted: (log) => retry(attempts(log, 5), { ...options, retries: 1 }),
    // As async-retry's own example: bail, then return (a throw after bail would go on retrying).
    aborted: (log) =>
      retry(async (bail) => {
        await attempts(log, 0)();
        bail(new Unavailable('down 1'));
      }, options),
  };
}

describe('async-retry', () => {
  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const bare = await ordersOf(asyncRetryCases(bareRequire('async-retry') as typeof AsyncRetry));
    harness = new Harness();
    harness.require('retry');
    const instrumented = await ordersOf(asyncRetryCases(harness.require<typeof AsyncRetry>('async-retry')));

    expect(instrumented).toEqual(bare);
    expect(calls(harness)).toEqual(OUTCOMES);
  });
});

function promiseRetryCases(promiseRetry: typeof PromiseRetry): Record<string, OrderCase> {
  const options = { retries: 2, minTimeout: 0, randomize: false };
  // Each failure goes through promise-retry's retry(err), which throws its own wrapper.
  const retried = (n: number, [retry]: unknown[]) => {
    try {
      (retry as (e: Error) => never)(new Unavailable(`down ${n}`));
    } catch (wrapper) {
      return wrapper;
    }
  };
  return {
    first: (log) => promiseRetry(attempts(log, 0, retried), options),
    retried: (log) => promiseRetry(attempts(log, 1, retried), options),
    exhausted: (log) => promiseRetry(attempts(log, 5, retried), { ...options, retries: 1 }),
    aborted: (log) => promiseRetry(attempts(log, 5), options),
  };
}

describe('promise-retry', () => {
  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const bare = await ordersOf(promiseRetryCases(bareRequire('promise-retry') as typeof PromiseRetry));
    harness = new Harness();
    harness.require('promise-retry/node_modules/retry');
    const instrumented = await ordersOf(promiseRetryCases(harness.require<typeof PromiseRetry>('promise-retry')));

    expect(instrumented).toEqual(bare);
    expect(calls(harness)).toEqual(OUTCOMES);
  });
});

function backOffCases(backOff: (typeof ExponentialBackoff)['backOff']): Record<string, OrderCase> {
  const options = { numOfAttempts: 3, startingDelay: 0 };
  return {
    first: (log) => backOff(attempts(log, 0), options),
    retried: (log) => backOff(attempts(log, 1), options),
    exhausted: (log) => backOff(attempts(log, 5), { ...options, numOfAttempts: 2 }),
    aborted: (log) => backOff(attempts(log, 5), { ...options, retry: () => false }),
  };
}

describe('exponential-backoff', () => {
  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const bare = await ordersOf(backOffCases((bareRequire('exponential-backoff') as typeof ExponentialBackoff).backOff));
    harness = new Harness();
    const instrumented = await ordersOf(backOffCases(harness.require<typeof ExponentialBackoff>('exponential-backoff').backOff));

    expect(instrumented).toEqual(bare);
    expect(calls(harness)).toEqual(OUTCOMES);
  });
});

function cockatielCases(cockatiel: typeof Cockatiel): Record<string, OrderCase> {
  const policy = (maxAttempts: number, handler: Cockatiel.Policy = cockatiel.handleAll) => cockatiel.retry(handler, { maxAttempts });
  return {
    first: (log) => policy(2).execute(attempts(log, 0)),
    retried: (log) => policy(2).execute(attempts(log, 1)),
    exhausted: (log) => policy(1).execute(attempts(log, 5)),
    aborted: (log) => policy(2, cockatiel.handleType(RangeError)).execute(attempts(log, 5)),
  };
}

describe.each(COCKATIEL_PACKAGES)('%s', (pkg) => {
  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const bare = await ordersOf(cockatielCases((pkg === 'cockatiel' ? await import(pkg) : bareRequire(pkg)) as typeof Cockatiel));
    harness = new Harness();
    const library = pkg === 'cockatiel' ? await harness.import<typeof Cockatiel>(pkg) : harness.require<typeof Cockatiel>(pkg);
    const instrumented = await ordersOf(cockatielCases(library));

    expect(instrumented).toEqual(bare);
    expect(calls(harness)).toEqual(OUTCOMES);
  });
});

function pRetryCases(m: PRetryModule): Record<string, OrderCase> {
  const { default: pRetry, AbortError } = m;
  return {
    first: (log) => pRetry(attempts(log, 0), { retries: 2, minTimeout: 0 }),
    retried: (log) => pRetry(attempts(log, 1), { retries: 2, minTimeout: 0 }),
    exhausted: (log) => pRetry(attempts(log, 5), { retries: 1, minTimeout: 0 }),
    aborted: (log) => pRetry(attempts(log, 5, (n) => new AbortError(new Unavailable(`down ${n}`))), { retries: 2, minTimeout: 0 }),
  };
}

describe.each(P_RETRY_PACKAGES)('%s', (pkg) => {
  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const bare = pkg === 'p-retry-v4' ? { default: bareRequire(pkg), AbortError: (bareRequire(pkg) as PRetryModule).AbortError } : await import(pkg);
    const bareOrders = await ordersOf(pRetryCases(bare as PRetryModule));
    const pRetryHarness = new PRetryHarness();
    harness = pRetryHarness;
    pRetryHarness.require('retry');
    const instrumented = await ordersOf(pRetryCases(await pRetryHarness.pRetry(pkg)));

    expect(instrumented).toEqual(bareOrders);
    expect(calls(pRetryHarness)).toEqual(OUTCOMES);
  });
});

