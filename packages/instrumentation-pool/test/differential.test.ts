import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '@dyntel/test-support';
import { Harness } from './support/harness';
import type { GenericPoolModule } from './support/generic-pool';
import { poolScenario } from './support/scenario';

// What the application sees of generic-pool (values, errors, promise kinds, and when each
// promise settles against a microtask chain) is the same bare, instrumented, and instrumented
// with every fault the instrumentation may meet: a throwing tracer, meter, logger or hook.

const require = createRequire(import.meta.url);
const HOOKS = ['poolName', 'requestHook', 'responseHook'];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// The bare run, before any harness patched the module.
const bare = await poolScenario(require('generic-pool') as GenericPoolModule);

/** Runs the scenario inside a parent span, so that pool.acquire spans and their hooks run too. */
function underParent(h: Harness, genericPool: GenericPoolModule): Promise<string[]> {
  return h.tracerProvider.getTracer('test').startActiveSpan('request', async (span) => {
    const log = await poolScenario(genericPool);
    span.end();
    return log;
  });
}

describe.each([
  ['required', (h: Harness) => Promise.resolve(h.require<GenericPoolModule>('generic-pool'))],
  ['imported', (h: Harness) => h.import<GenericPoolModule>('generic-pool')],
])('generic-pool %s', (_label, load) => {
  it('instrumented: the same log as bare, and the acquires were recorded', async () => {
    harness = new Harness();
    const log = await underParent(harness, await load(harness));
    expect(log).toEqual(bare);
    expect(harness.spans().filter((s) => s.name.startsWith('pool.acquire'))).toHaveLength(6);
  });

  it.each(new FaultInjector().faults(HOOKS).map((f) => [f.title, f] as const))('with %s: the same log as bare', async (_title, fault) => {
    const injector = new FaultInjector();
    const injected = injector.faults(HOOKS).find((f) => f.title === fault.title)!;
    harness = new Harness(injected.config);
    injected.apply(harness.instrumentation);
    const genericPool = await load(harness);
    expect(await underParent(harness, genericPool)).toEqual(bare);
    await harness.points();
    expect(injector.raised).toBeGreaterThan(0);
  });
});
