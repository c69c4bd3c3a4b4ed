// How createActor is patched: once per function however it is reached (createActor, interpret,
// the ESM namespace that re-exports the CJS build, its default, a second instrumentation), with
// the user's inspect option still receiving every event, in order, and its throws its own.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTR_ACTOR_TYPE, METRIC_ACTOR_SPAWNED } from '@dyntel/semconv';
import { packageInfo, type InstrumentationHarness } from '@dyntel/test-support';
import { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness, valueOf } from './support/harness';
import type { XStateModule } from './support/machines';

const require = createRequire(import.meta.url);

describe('createActor patching', () => {
  let harness: InstrumentationHarness<AgentsInstrumentation>;
  beforeEach(() => {
    harness = agentsHarness();
  });
  afterEach(() => harness.close());

  const machine = (x: XStateModule) => x.createMachine({ id: 'probe', initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } });
  const spawned = async () => valueOf(await harness.points(METRIC_ACTOR_SPAWNED), METRIC_ACTOR_SPAWNED, { [ATTR_ACTOR_TYPE]: 'probe' });

  it('every way to reach createActor instruments a system once: require, import, interpret, patched again, a second instrumentation', async () => {
    const cjs = harness.require<XStateModule>('xstate');
    const esm = await harness.import<XStateModule>('xstate');
    harness.patch(cjs, packageInfo('xstate'));
    const second = new AgentsInstrumentation({ enabled: false });
    const definition = second.getModuleDefinitions()[0]!;
    definition.patch!(require('xstate'), packageInfo('xstate').version);
    try {
      expect(cjs.createActor).toBe(esm.createActor);
      for (const create of [cjs.createActor, esm.createActor, cjs.interpret]) create(machine(cjs)).start();
      expect(await spawned()).toBe(3);
    } finally {
      definition.unpatch!(require('xstate'), undefined);
    }
  });

  it('children spawned in a system are seen through the root inspector only', async () => {
    const x = harness.require<XStateModule>('xstate');
    const parent = x.setup({ actors: { child: machine(x) } }).createMachine({ id: 'parent', invoke: { src: 'child' } });
    x.createActor(parent).start();
    expect(await spawned()).toBe(1);
  });

  it('unpatching restores the original createActor and interpret', async () => {
    const original = (require('xstate') as XStateModule).createActor;
    const x = harness.require<XStateModule>('xstate');
    expect(x.createActor).not.toBe(original);
    await harness.close();
    expect([x.createActor, x.interpret]).toEqual([original, original]);
  });

  for (const [shape, wrap] of [
    ['a function', (fn: (e: { type: string }) => void) => fn],
    ['an observer', (fn: (e: { type: string }) => void) => ({ next: fn })],
  ] as const) {
    it(`the user's inspect (${shape}) gets every event in the same order, and its throw reaches XState as bare`, async () => {
      const run = (x: XStateModule): unknown[] => {
        const log: unknown[] = [];
        const inspect = wrap((event) => {
          log.push(event.type);
          if (event.type === '@xstate.snapshot' && log.length > 4) throw new Error('user inspector broke');
        });
        const actor = x.createActor(machine(x), { inspect: inspect as never });
        for (const step of [() => actor.start(), () => actor.send({ type: 'GO' } as never)]) {
          try {
            step();
            log.push('ok');
          } catch (error) {
            log.push(`threw ${(error as Error).message}`);
          }
        }
        log.push(actor.getSnapshot().value);
        return log;
      };
      const bare = run(require('xstate') as XStateModule);
      const instrumented = run(harness.require<XStateModule>('xstate'));
      expect(instrumented).toEqual(bare);
      expect(bare).toContain('threw user inspector broke');
      expect(await spawned()).toBe(1);
    });
  }
});
