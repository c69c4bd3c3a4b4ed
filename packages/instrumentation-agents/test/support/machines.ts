import type * as XState from 'xstate';

/** The xstate module, however it was loaded. */
export type XStateModule = typeof XState;

/** The error the payment child fails with. */
export class CardDeclined extends Error {
  override name = 'CardDeclined';
}

/**
 * The seed's order-fulfilment system: an `order` root invokes a `payment` machine (which fails
 * on a bad card and is re-invoked after a delayed retry), then a `shipper` callback actor
 * spawned from its `src` that answers through `sendBack`, then spawns a `notifier` machine that
 * tells its parent with `sendParent`, and reaches its final state.
 */
export function orderMachine(x: XStateModule) {
  const payment = x.createMachine({
    id: 'payment',
    initial: 'idle',
    states: {
      idle: {
        on: {
          CHARGE: [
            {
              guard: ({ event }) => (event as { card?: string }).card === 'bad',
              actions: () => {
                throw new CardDeclined('card declined');
              },
            },
            { target: 'charged' },
          ],
        },
      },
      charged: { type: 'final' },
    },
    output: { receipt: 'r-1' },
  });
  const shipper = x.fromCallback<{ type: 'SHIP' }>(({ sendBack, receive }) => {
    receive((event) => {
      if (event.type === 'SHIP') sendBack({ type: 'SHIPPED' });
    });
  });
  const notifier = x.createMachine({ id: 'notifier', entry: x.sendParent({ type: 'NOTIFIED' }), initial: 'sent', states: { sent: {} } });
  return x.setup({ actors: { payment, shipper, notifier } }).createMachine({
    id: 'order',
    initial: 'paying',
    context: { attempts: 0 },
    states: {
      paying: {
        entry: x.assign({ attempts: ({ context }) => context.attempts + 1 }),
        invoke: { id: 'payment', src: 'payment', onDone: 'shipping', onError: 'retrying' },
        on: { PAY: { actions: x.sendTo('payment', ({ event }) => ({ type: 'CHARGE', card: (event as { card?: string }).card })) } },
      },
      retrying: { after: { 1000: 'paying' } },
      shipping: {
        invoke: { id: 'shipper', src: 'shipper' },
        on: { DISPATCH: { actions: x.sendTo('shipper', { type: 'SHIP' }) }, SHIPPED: 'notifying' },
      },
      notifying: { entry: x.spawnChild('notifier', { id: 'notifier' }), on: { NOTIFIED: 'delivered' } },
      delivered: { type: 'final' },
    },
    output: ({ context }) => ({ attempts: context.attempts }),
  });
}

/** What the scenario drives, step by step, and what a user could read after each step. */
export function runOrderScenario(x: XStateModule, options: { inspect?: unknown } = {}): unknown[] {
  const clock = new x.SimulatedClock();
  const seen: unknown[] = [];
  const step = (label: string, action: () => void): void => {
    try {
      action();
      seen.push([label, 'ok']);
    } catch (error) {
      seen.push([label, 'threw', (error as Error).message]);
    }
  };
  const actor = x.createActor(orderMachine(x), { clock, ...(options.inspect === undefined ? {} : { inspect: options.inspect as never }) });
  actor.subscribe({ next: (snapshot) => seen.push(['snapshot', snapshot.value, snapshot.status, snapshot.context]), error: (error) => seen.push(['error', String(error)]) });
  step('start', () => actor.start());
  step('bad card', () => actor.send({ type: 'PAY', card: 'bad' } as never));
  step('retry timer', () => clock.increment(1000));
  step('good card', () => actor.send({ type: 'PAY', card: 'good' } as never));
  step('dispatch', () => actor.send({ type: 'DISPATCH' } as never));
  const snapshot = actor.getSnapshot();
  seen.push(['end', snapshot.status, snapshot.output]);
  step('after the end', () => actor.send({ type: 'PAY', card: 'good' } as never));
  return seen;
}
