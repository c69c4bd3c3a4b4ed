import { afterEach, describe, expect, it } from 'vitest';
import { ordersOf, type OrderCase } from '@dyntel/test-support';
import { ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_ERROR_TYPE } from '@dyntel/semconv';
import type CircuitBreakerClass from 'opossum';
import type * as Cockatiel from 'cockatiel';
import { COCKATIEL_PACKAGES, Harness, OPOSSUM_PACKAGES } from './support/harness';

// Telemetry may not move the caller's callbacks by a single microtask. Each case logs, in
// the order it runs, its action, `then`/`catch`/`finally` on the promise the breaker returned,
// and chains of microtasks queued before and after the call; the log with the instrumentation
// must equal the log without it.


class NotFound extends Error {}

// One per case, in order; the cache case makes two calls.
const OPOSSUM_OUTCOMES = ['success', 'success', 'failure', 'failure', 'ignored', 'failure', 'rejected', 'rejected', 'success', 'success', 'timeout'];

function opossumCases(CircuitBreaker: typeof CircuitBreakerClass, breakers: CircuitBreakerClass[]): Record<string, OrderCase> {
  const make = (action: (...args: never[]) => unknown, options: CircuitBreakerClass.Options = {}) => {
    const breaker = new CircuitBreaker(action as () => Promise<unknown>, { errorThresholdPercentage: 100, volumeThreshold: 100, ...options });
    breakers.push(breaker);
    return breaker;
  };
  const logged = (log: string[], action: () => unknown) => () => {
    log.push('action');
    return action();
  };
  return {
    async: (log) => make(logged(log, async () => 1)).fire(),
    sync: (log) => make(logged(log, () => 1)).fire(),
    asyncReject: (log) => make(logged(log, async () => Promise.reject(new NotFound('no')))).fire(),
    syncThrow: (log) =>
      make(
        logged(log, () => {
          throw new NotFound('no');
        }),
      ).fire(),
    filtered: (log) => make(logged(log, async () => Promise.reject(new NotFound('no'))), { errorFilter: () => true }).fire(),
    fallback: (log) => {
      const breaker = make(logged(log, async () => Promise.reject(new NotFound('no'))));
      breaker.fallback(async () => 'fallback');
      return breaker.fire();
    },
    open: (log) => {
      const breaker = make(logged(log, async () => 1));
      breaker.open();
      return breaker.fire();
    },
    semaphoreLocked: (log) => make(logged(log, async () => 1), { capacity: 0 }).fire(),
    cacheHit: async (log) => {
      const breaker = make(logged(log, async () => 1), { cache: true });
      await breaker.fire();
      log.length = 0;
      return breaker.fire();
    },
    timeout: (log) => make(logged(log, () => new Promise(() => {})), { timeout: 1 }).fire(),
  };
}

describe.each(OPOSSUM_PACKAGES)('%s', (pkg) => {
  let harness: Harness | undefined;
  afterEach(() => harness?.close());

  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const breakers: CircuitBreakerClass[] = [];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bare = await ordersOf(opossumCases(require(pkg) as typeof CircuitBreakerClass, breakers));
    harness = new Harness();
    const instrumented = await ordersOf(opossumCases(harness.opossum<typeof CircuitBreakerClass>(pkg), breakers));
    for (const breaker of breakers) breaker.shutdown();

    expect(instrumented).toEqual(bare);
    expect(harness.spans().map((s) => s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])).toEqual(OPOSSUM_OUTCOMES);
  });
});

function cockatielCases(cockatiel: typeof Cockatiel): Record<string, OrderCase> {
  const make = (policy: Cockatiel.Policy = cockatiel.handleAll) =>
    cockatiel.circuitBreaker(policy, { halfOpenAfter: 60_000, breaker: new cockatiel.ConsecutiveBreaker(100) });
  const logged = (log: string[], action: () => unknown) => () => {
    log.push('action');
    return action();
  };
  return {
    async: (log) => make().execute(logged(log, async () => 1)),
    sync: (log) => make().execute(logged(log, () => 1)),
    asyncReject: (log) => make().execute(logged(log, async () => Promise.reject(new NotFound('no')))),
    syncThrow: (log) =>
      make().execute(
        logged(log, () => {
          throw new NotFound('no');
        }),
      ),
    unhandled: (log) => make(cockatiel.handleType(RangeError)).execute(logged(log, async () => Promise.reject(new NotFound('no')))),
    flaggedResult: (log) => make(cockatiel.handleWhenResult((result) => result === 1)).execute(logged(log, async () => 1)),
    open: async (log) => {
      const breaker = cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 60_000, breaker: new cockatiel.ConsecutiveBreaker(1) });
      await breaker.execute(async () => Promise.reject(new NotFound('no'))).catch(() => {});
      log.length = 0;
      return breaker.execute(logged(log, async () => 1));
    },
    isolated: (log) => {
      const breaker = make();
      breaker.isolate();
      return breaker.execute(logged(log, async () => 1));
    },
  };
}

describe.each(COCKATIEL_PACKAGES)('%s', (pkg) => {
  let harness: Harness | undefined;
  afterEach(() => harness?.close());

  it('runs the caller’s callbacks when it would without the instrumentation', async () => {
    const bare = await ordersOf(cockatielCases((await import(pkg)) as typeof Cockatiel));
    harness = new Harness();
    const instrumented = await ordersOf(cockatielCases(await harness.cockatiel<typeof Cockatiel>(pkg)));

    expect(instrumented).toEqual(bare);
    expect(harness.spans().map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_ERROR_TYPE]])).toEqual([
      ['success', undefined],
      ['success', undefined],
      ['failure', 'NotFound'],
      ['failure', 'NotFound'],
      ['ignored', 'NotFound'],
      ['failure', '_OTHER'],
      ['failure', 'NotFound'],
      ['rejected', 'BrokenCircuitError'],
      ['rejected', 'IsolatedCircuitError'],
    ]);
  });
});
