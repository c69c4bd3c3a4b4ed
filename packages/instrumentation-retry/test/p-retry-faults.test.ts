import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { FaultInjector } from '@dyntel/test-support';
import { P_RETRY_PACKAGES } from './support/harness';
import { PRetryHarness, type PRetryModule } from './support/p-retry';
import { Unavailable } from './support/failures';

// A throwing hook, tracer, meter or logger never changes what p-retry's caller observes: values,
// errors (the same objects), attempts, callback order and when each settles on the clock.
const require = createRequire(import.meta.url);
const injector = new FaultInjector();
const FAULTS = injector.faults(['requestHook', 'responseHook', 'retryName']);

/** Success after two failures, exhaustion, an AbortError and a refusing shouldRetry, on a fake clock; what the caller saw, in order. */
async function scenarios(pRetry: PRetryModule): Promise<unknown[]> {
  const log: unknown[] = [];
  const errors = new Map<unknown, string>();
  const failing = (label: string, failures: number) => {
    let calls = 0;
    return async function fetchInventory(attempt: number) {
      calls += 1;
      log.push(`${label} attempt ${attempt}`);
      if (calls > failures) return `${label} ok`;
      const error = new Unavailable(`${label} ${calls}`);
      errors.set(error, error.message);
      throw error;
    };
  };
  const run = (label: string, input: (attempt: number) => Promise<unknown>, options: object) =>
    pRetry.default(input, { minTimeout: 10, factor: 2, onFailedAttempt: () => void log.push(`${label} onFailedAttempt`), ...options }).then(
      (value) => log.push([label, 'resolved', value]),
      (error: unknown) => log.push([label, 'rejected', errors.get(error) ?? (error as Error).message]),
    );
  const cause = new Unavailable('cause');
  errors.set(cause, 'the AbortError cause');
  const all = Promise.all([
    run('flaky', failing('flaky', 2), { retries: 3 }),
    run('exhausted', failing('exhausted', 9), { retries: 2 }),
    run('aborted', async () => Promise.reject(new pRetry.AbortError(cause)), { retries: 2 }),
    run('refused', failing('refused', 9), { retries: 2, shouldRetry: () => false }),
  ]);
  for (let tick = 1; tick <= 8; tick++) {
    await vi.advanceTimersByTimeAsync(5);
    log.push(`t=${tick * 5}`);
  }
  await all;
  return log;
}

function bare(pkg: string): Promise<PRetryModule> {
  return pkg === 'p-retry-v4' ? Promise.resolve({ default: require(pkg) as PRetryModule['default'], AbortError: (require(pkg) as PRetryModule).AbortError }) : (import(pkg) as Promise<PRetryModule>);
}

beforeAll(() => {
  const quiet = () => {};
  diag.setLogger({ error: quiet, warn: quiet, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.ERROR);
});
afterAll(() => diag.disable());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe.each(P_RETRY_PACKAGES)('%s', (pkg) => {
  it.each(FAULTS.map((fault) => [fault.title, fault] as const))('with %s, the caller sees what it sees without instrumentation', async (_title, fault) => {
    const baseline = await scenarios(await bare(pkg));
    const raisedBefore = injector.raised;
    const harness = new PRetryHarness(fault.config);
    try {
      harness.require('retry');
      const pRetry = await harness.pRetry(pkg);
      fault.apply(harness.instrumentation);
      expect(await scenarios(pRetry)).toEqual(baseline);
    } finally {
      await harness.close();
    }
    expect(injector.raised, 'the fault was never raised: the test proved nothing').toBeGreaterThan(raisedBefore);
  });
});
