// The seed's order-fulfilment actor system under the instrumentation, with real XState machines:
// a parent invoking and spawning children, messages between them both ways, a child failing and
// re-invoked after a delayed retry (XState's simulated clock, no timers), a final state, and a
// message sent to the stopped system. Every contract metric and event is checked by value, on
// the xstate module `load` gives (a build, or a release installed under an npm alias).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ACTOR_MESSAGE_TYPE,
  ATTR_ACTOR_PARENT_TYPE,
  ATTR_ACTOR_SESSION_ID,
  ATTR_ACTOR_SOURCE_TYPE,
  ATTR_ACTOR_STATE_FROM,
  ATTR_ACTOR_STATE_TO,
  ATTR_ACTOR_STOP_REASON,
  ATTR_ACTOR_SYSTEM,
  ATTR_ACTOR_TYPE,
  ATTR_ERROR_TYPE,
  ATTR_LIFECYCLE_STATE,
  EVENT_ACTOR_LIFECYCLE,
  METRIC_ACTOR_ACTIVE,
  METRIC_ACTOR_MAILBOX_DEPTH,
  METRIC_ACTOR_MESSAGE_DURATION,
  METRIC_ACTOR_MESSAGES_DROPPED,
  METRIC_ACTOR_RESTARTS,
  METRIC_ACTOR_SPAWNED,
  METRIC_ACTOR_STATE_TRANSITIONS,
  METRIC_ACTOR_STOPPED,
  METRIC_ACTOR_SYSTEM_DURATION,
} from '@dyntel/semconv';
import type { InstrumentationHarness, Point } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../../src/instrumentation';
import { agentsHarness, expectNoIdsOnMetrics, valueOf } from './harness';
import { runOrderScenario, type XStateModule } from './machines';

/** The seed system's contract, on the xstate module `load` gives. */
export function describeOrderSystem(title: string, load: (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<XStateModule>): void {
  describe(`xstate ${title}: the order-fulfilment system`, () => {
    let harness: InstrumentationHarness<AgentsInstrumentation>;
    let x: XStateModule;
    let seen: unknown[];
    let points: Point[];
    beforeEach(async () => {
      harness = agentsHarness({ messageSpans: true });
      x = await load(harness);
      seen = runOrderScenario(x);
      await harness.waitForEvent(EVENT_ACTOR_LIFECYCLE, { [ATTR_ACTOR_TYPE]: 'order', [ATTR_LIFECYCLE_STATE]: 'stopped' });
      points = await harness.points();
    });
    afterEach(() => harness.close());

    it('runs to its final state as it would bare', () => {
      expect(seen).toContainEqual(['end', 'done', { attempts: 2 }]);
    });

    it('counts every actor spawned, by type and parent type, and none is left active', () => {
      expect(valueOf(points, METRIC_ACTOR_SPAWNED, { [ATTR_ACTOR_TYPE]: 'order' })).toBe(1);
      expect(points.find((p) => p.name === METRIC_ACTOR_SPAWNED && p.attributes[ATTR_ACTOR_TYPE] === 'order')?.attributes).not.toHaveProperty(ATTR_ACTOR_PARENT_TYPE);
      for (const [type, count] of [['payment', 2], ['shipper', 1], ['notifier', 1]] as const) {
        expect(valueOf(points, METRIC_ACTOR_SPAWNED, { [ATTR_ACTOR_TYPE]: type, [ATTR_ACTOR_PARENT_TYPE]: 'order' }), type).toBe(count);
      }
      expect(points.filter((p) => p.name === METRIC_ACTOR_ACTIVE).map((p) => p.value)).toEqual([0, 0, 0, 0]);
    });

    it('counts each stop by reason: the failed payment with its error type, the finished ones done, the children the root leaves stopped', () => {
      const stopped = points.filter((p) => p.name === METRIC_ACTOR_STOPPED).map((p) => [p.attributes[ATTR_ACTOR_TYPE], p.attributes[ATTR_ACTOR_STOP_REASON], p.attributes[ATTR_ERROR_TYPE], p.value]);
      expect(stopped).toEqual(
        expect.arrayContaining([
          ['payment', 'error', 'CardDeclined', 1],
          ['payment', 'done', undefined, 1],
          ['shipper', 'stopped', undefined, 1],
          ['notifier', 'stopped', undefined, 1],
          ['order', 'done', undefined, 1],
        ]),
      );
      expect(stopped).toHaveLength(5);
    });

    it('counts the re-invoked payment as one restart', () => {
      expect(valueOf(points, METRIC_ACTOR_RESTARTS, { [ATTR_ACTOR_TYPE]: 'payment', [ATTR_ACTOR_PARENT_TYPE]: 'order' })).toBe(1);
    });

    it('records one message duration per message, by target, sender and normalised type', () => {
      const messages = points
        .filter((p) => p.name === METRIC_ACTOR_MESSAGE_DURATION)
        .map((p) => [p.attributes[ATTR_ACTOR_TYPE], p.attributes[ATTR_ACTOR_SOURCE_TYPE], p.attributes[ATTR_ACTOR_MESSAGE_TYPE], p.value]);
      expect(messages).toEqual(
        expect.arrayContaining([
          ['order', undefined, 'PAY', 2],
          ['payment', 'order', 'CHARGE', 2],
          ['order', 'payment', 'xstate.error.actor', 1],
          ['order', 'order', 'xstate.after', 1],
          ['order', 'payment', 'xstate.done.actor', 1],
          ['order', undefined, 'DISPATCH', 1],
          ['shipper', 'order', 'SHIP', 1],
          ['order', 'shipper', 'SHIPPED', 1],
          ['order', 'notifier', 'NOTIFIED', 1],
        ]),
      );
      expect(messages).toHaveLength(9);
    });

    it('counts the message sent to the finished order as dropped', () => {
      expect(valueOf(points, METRIC_ACTOR_MESSAGES_DROPPED, { [ATTR_ACTOR_TYPE]: 'order', [ATTR_ACTOR_MESSAGE_TYPE]: 'PAY' })).toBe(1);
    });

    it('counts state transitions by state-node ids', () => {
      const transitions = points
        .filter((p) => p.name === METRIC_ACTOR_STATE_TRANSITIONS)
        .map((p) => [p.attributes[ATTR_ACTOR_TYPE], p.attributes[ATTR_ACTOR_STATE_FROM], p.attributes[ATTR_ACTOR_STATE_TO], p.value]);
      expect(transitions).toEqual(
        expect.arrayContaining([
          ['order', 'order.paying', 'order.retrying', 1],
          ['order', 'order.retrying', 'order.paying', 1],
          ['order', 'order.paying', 'order.shipping', 1],
          ['order', 'order.shipping', 'order.notifying', 1],
          ['order', 'order.notifying', 'order.delivered', 1],
          ['payment', 'payment.idle', 'payment.charged', 1],
        ]),
      );
      expect(transitions).toHaveLength(6);
    });

    it('emits a started and a stopped lifecycle event per actor, as span events of the actor.system span too', () => {
      const lifecycle = harness.events(EVENT_ACTOR_LIFECYCLE).map((e) => `${String(e.attributes[ATTR_ACTOR_TYPE])} ${String(e.attributes[ATTR_LIFECYCLE_STATE])}`);
      expect(lifecycle.filter((l) => l.endsWith('started')).sort()).toEqual(['notifier started', 'order started', 'payment started', 'payment started', 'shipper started']);
      expect(lifecycle.filter((l) => l.endsWith('stopped')).sort()).toEqual(['notifier stopped', 'order stopped', 'payment stopped', 'payment stopped', 'shipper stopped']);
      const system = harness.spans().find((s) => s.name === 'actor.system order');
      expect(system?.events.filter((e) => e.name === EVENT_ACTOR_LIFECYCLE)).toHaveLength(10);
    });

    it('records one actor.system span and duration for the root, with its session id on the span only', () => {
      const systems = harness.spans().filter((s) => s.name.startsWith('actor.system'));
      expect(systems.map((s) => [s.name, s.attributes[ATTR_ACTOR_SYSTEM], s.attributes[ATTR_ACTOR_TYPE], s.status.code])).toEqual([['actor.system order', 'xstate', 'order', SpanStatusCode.UNSET]]);
      expect(systems[0]?.attributes[ATTR_ACTOR_SESSION_ID]).toMatch(/^x:\d+$/);
      expect(valueOf(points, METRIC_ACTOR_SYSTEM_DURATION, { [ATTR_ACTOR_TYPE]: 'order' })).toBe(1);
    });

    it('with messageSpans on, records one actor.message span per processed message', () => {
      const messageSpans = harness.spans().filter((s) => s.name.startsWith('actor.message'));
      expect(messageSpans).toHaveLength(11);
      expect(messageSpans.filter((s) => s.name === 'actor.message payment').map((s) => s.attributes[ATTR_ACTOR_MESSAGE_TYPE])).toEqual(['CHARGE', 'CHARGE']);
    });

    it('puts no session id or generated id on any metric point', () => {
      expect(points.length).toBeGreaterThan(20);
      expectNoIdsOnMetrics(points, harness.spans());
    });

    it('reports no mailbox once every actor has stopped', () => {
      expect(points.filter((p) => p.name === METRIC_ACTOR_MAILBOX_DEPTH)).toEqual([]);
    });
  });
}
