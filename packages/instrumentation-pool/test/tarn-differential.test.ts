import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector, microtaskChain } from '@dyntel/test-support';
import { Harness } from './support/harness';
import { TarnFactory, type TarnModule, type TarnResource } from './support/tarn';

// What the application sees of tarn (values, errors, what its own event listeners hear, and
// when each promise settles against a microtask chain) is the same bare, instrumented, and
// instrumented with every fault the instrumentation may meet: a throwing tracer, meter, logger
// or hook.

const require = createRequire(import.meta.url);
const HOOKS = ['poolName', 'requestHook', 'responseHook'];

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return JSON.stringify(value);
}

/** One fixed sequence of tarn calls, logged in the order it ran. */
async function tarnScenario(tarn: TarnModule): Promise<string[]> {
  const log: string[] = [];
  const watch = (label: string, promise: Promise<unknown>): Promise<unknown> => {
    promise.then(
      (value) => log.push(`${label} resolved ${describeValue(value)}`),
      (error: unknown) => log.push(`${label} rejected ${describeValue(error)}`),
    );
    return promise.catch(() => undefined);
  };
  const factory = new TarnFactory();
  const pool = new tarn.Pool<TarnResource>(factory.options({ max: 2 }));
  for (const event of ['acquireRequest', 'acquireSuccess', 'release', 'createSuccess', 'destroySuccess', 'poolDestroySuccess']) {
    pool.on(event as 'acquireRequest', (...args: unknown[]) => log.push(`event ${event} ${args.filter((a) => typeof a !== 'number').map(describeValue).join(' ')}`));
  }
  const ticks = microtaskChain(log, 'm', 30);
  const a = (await watch('acquire a', pool.acquire().promise)) as TarnResource;
  const b = (await watch('acquire b', pool.acquire().promise)) as TarnResource;
  const pending = pool.acquire();
  const c = watch('acquire c (waits)', pending.promise);
  log.push(`sizes ${pool.numUsed()} ${pool.numFree()} ${pool.numPendingAcquires()}`);
  log.push(`release a ${describeValue(pool.release(a))}`);
  const cResource = (await c) as TarnResource;
  log.push(`release a again ${describeValue(pool.release(a))}`);
  const aborted = pool.acquire();
  const d = watch('acquire d (aborted)', aborted.promise);
  aborted.abort();
  await d;
  log.push(`release b ${describeValue(pool.release(b))}`);
  log.push(`release c ${describeValue(pool.release(cResource))}`);
  await watch('destroy', pool.destroy());
  await ticks;
  log.push(`end ${pool.numUsed()} ${pool.numFree()} ${pool.numPendingAcquires()} created ${factory.created} destroyed ${factory.destroyed}`);
  return log;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const bare = await tarnScenario(require('tarn') as TarnModule);

function underParent(h: Harness, tarn: TarnModule): Promise<string[]> {
  return h.tracerProvider.getTracer('test').startActiveSpan('request', async (span) => {
    const log = await tarnScenario(tarn);
    span.end();
    return log;
  });
}

describe.each([
  ['required', (h: Harness) => Promise.resolve(h.require<TarnModule>('tarn'))],
  ['imported', (h: Harness) => h.import<TarnModule>('tarn')],
])('tarn %s', (_label, load) => {
  it('instrumented: the same log as bare, and the acquires were recorded', async () => {
    harness = new Harness();
    const log = await underParent(harness, await load(harness));
    expect(log).toEqual(bare);
    expect(harness.spans().filter((s) => s.name.startsWith('pool.acquire')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(new FaultInjector().faults(HOOKS).map((f) => [f.title, f] as const))('with %s: the same log as bare', async (_title, fault) => {
    const injector = new FaultInjector();
    const injected = injector.faults(HOOKS).find((f) => f.title === fault.title)!;
    harness = new Harness(injected.config);
    injected.apply(harness.instrumentation);
    const tarn = await load(harness);
    expect(await underParent(harness, tarn)).toEqual(bare);
    await harness.points();
    expect(injector.raised).toBeGreaterThan(0);
  });
});
