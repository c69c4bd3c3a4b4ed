// What the seed system does not reach: a root actor that fails (no inspection event tells it),
// messages waiting in a mailbox, user event types that embed ids, and a root stopped from outside;
// on the latest release and on two whose transitions are told from snapshots, required and imported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ACTOR_MESSAGE_TYPE,
  ATTR_ACTOR_STOP_REASON,
  ATTR_ACTOR_TYPE,
  ATTR_ERROR_TYPE,
  ATTR_LIFECYCLE_STATE,
  EVENT_ACTOR_LIFECYCLE,
  METRIC_ACTOR_MAILBOX_DEPTH,
  METRIC_ACTOR_MESSAGE_DURATION,
  METRIC_ACTOR_STOPPED,
  OTHER_VALUE,
} from '@dyntel/semconv';
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness, valueOf } from './support/harness';
import { CardDeclined, type XStateModule } from './support/machines';

const CASES = ['xstate', 'xstate-v5-0', 'xstate-v5-6'].flatMap((alias) => [
  [alias, 'required'],
  [alias, 'imported'],
]);

describe.each(CASES)('%s %s: edges', (alias, how) => {
  let harness: InstrumentationHarness<AgentsInstrumentation>;
  let x: XStateModule;
  beforeEach(async () => {
    harness = agentsHarness();
    x = how === 'required' ? harness.require<XStateModule>(alias) : await harness.import<XStateModule>(alias);
  });
  afterEach(() => harness.close());

  it('a root actor whose action throws ends its system with error.type, its span in ERROR', async () => {
    const machine = x.createMachine({ id: 'checkout', on: { BUY: { actions: () => { throw new CardDeclined('no'); } } } });
    const actor = x.createActor(machine);
    actor.subscribe({ error: () => undefined });
    actor.start();
    actor.send({ type: 'BUY' });
    await harness.waitForEvent(EVENT_ACTOR_LIFECYCLE, { [ATTR_ACTOR_TYPE]: 'checkout', [ATTR_LIFECYCLE_STATE]: 'stopped' });
    const points = await harness.points();
    expect(valueOf(points, METRIC_ACTOR_STOPPED, { [ATTR_ACTOR_TYPE]: 'checkout', [ATTR_ACTOR_STOP_REASON]: 'error', [ATTR_ERROR_TYPE]: 'CardDeclined' })).toBe(1);
    expect(valueOf(points, METRIC_ACTOR_MESSAGE_DURATION, { [ATTR_ACTOR_TYPE]: 'checkout', [ATTR_ACTOR_MESSAGE_TYPE]: 'BUY' })).toBe(1);
    const [span] = harness.spans();
    expect([span?.name, span?.status.code, span?.attributes[ATTR_ERROR_TYPE]]).toEqual(['actor.system checkout', SpanStatusCode.ERROR, 'CardDeclined']);
  });

  it('a root stopped from outside stops with reason stopped', async () => {
    const actor = x.createActor(x.createMachine({ id: 'session', initial: 'open', states: { open: {} } })).start();
    actor.stop();
    await harness.waitForEvent(EVENT_ACTOR_LIFECYCLE, { [ATTR_ACTOR_TYPE]: 'session', [ATTR_LIFECYCLE_STATE]: 'stopped' });
    expect(valueOf(await harness.points(), METRIC_ACTOR_STOPPED, { [ATTR_ACTOR_TYPE]: 'session', [ATTR_ACTOR_STOP_REASON]: 'stopped' })).toBe(1);
  });

  it('the mailbox gauge shows the deepest mailbox per type, read at collection', async () => {
    const machine = x.createMachine({ id: 'queue', on: { ITEM: {} } });
    const deep = x.createActor(machine);
    const shallow = x.createActor(machine);
    for (let i = 0; i < 3; i++) deep.send({ type: 'ITEM' });
    shallow.send({ type: 'ITEM' });
    expect(valueOf(await harness.points(METRIC_ACTOR_MAILBOX_DEPTH), METRIC_ACTOR_MAILBOX_DEPTH, { [ATTR_ACTOR_TYPE]: 'queue' })).toBe(3);
    deep.start();
    shallow.start();
    expect(valueOf(await harness.points(METRIC_ACTOR_MAILBOX_DEPTH), METRIC_ACTOR_MAILBOX_DEPTH, { [ATTR_ACTOR_TYPE]: 'queue' })).toBe(0);
    expect(valueOf(await harness.points(METRIC_ACTOR_MESSAGE_DURATION), METRIC_ACTOR_MESSAGE_DURATION, { [ATTR_ACTOR_TYPE]: 'queue', [ATTR_ACTOR_MESSAGE_TYPE]: 'ITEM' })).toBe(4);
  });

  it('user event types that look generated are _OTHER, and actors with no machine id nor src are anonymous', async () => {
    const actor = x.createActor(x.createMachine({ on: { '*': {} } })).start();
    actor.send({ type: 'order-3f2b8c1e-0d9a-4c55-9e7e-2b1a0c3d4e5f' });
    const points = await harness.points(METRIC_ACTOR_MESSAGE_DURATION);
    expect(points.map((p) => [p.attributes[ATTR_ACTOR_TYPE], p.attributes[ATTR_ACTOR_MESSAGE_TYPE]])).toEqual([['anonymous', OTHER_VALUE]]);
  });

  it('records nothing once disabled, and XState runs as it would', async () => {
    harness.instrumentation.disable();
    const actor = x.createActor(x.createMachine({ id: 'off', initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } })).start();
    actor.send({ type: 'GO' });
    expect(actor.getSnapshot().value).toBe('b');
    expect(await harness.points()).toEqual([]);
  });
});
