// The order-fulfilment system, plain XState v5 with no telemetry code: a `fulfilment`
// coordinator spawns one `order` actor per order; each order invokes a `payment` worker, then
// a `shipper` worker it talks to with messages (sendTo, sendBack), and reports to the
// coordinator (sendParent). A declined card makes the payment worker fail: that order is
// cancelled. The coordinator reaches its final state once every order is settled.
import { assign, createActor, fromCallback, fromPromise, sendParent, sendTo, setup, toPromise } from 'xstate';

/** The error a payment worker fails with. */
export class CardDeclined extends Error {
  name = 'CardDeclined';
}

const payment = fromPromise(async ({ input }) => {
  if (input.card === 'declined') throw new CardDeclined(`card declined for order ${input.id}`);
  return { receipt: `receipt-${input.id}` };
});

const shipper = fromCallback(({ sendBack, receive }) => {
  receive((event) => {
    if (event.type === 'SHIP') sendBack({ type: 'SHIPPED' });
  });
});

const order = setup({ actors: { payment, shipper } }).createMachine({
  id: 'order',
  context: ({ input }) => ({ ...input }),
  initial: 'paying',
  states: {
    paying: { invoke: { src: 'payment', input: ({ context }) => context, onDone: 'shipping', onError: 'cancelled' } },
    shipping: {
      invoke: { id: 'shipper', src: 'shipper' },
      entry: sendTo('shipper', { type: 'SHIP' }),
      on: { SHIPPED: 'shipped' },
    },
    shipped: { entry: sendParent(({ context }) => ({ type: 'SETTLED', id: context.id, outcome: 'shipped' })), type: 'final' },
    cancelled: { entry: sendParent(({ context }) => ({ type: 'SETTLED', id: context.id, outcome: 'cancelled' })), type: 'final' },
  },
});

const fulfilment = setup({ actors: { order } }).createMachine({
  id: 'fulfilment',
  context: ({ input }) => ({ orders: input.orders, workers: [], outcomes: {} }),
  initial: 'fulfilling',
  states: {
    fulfilling: {
      entry: assign({ workers: ({ spawn, context }) => context.orders.map((input) => spawn('order', { input })) }),
      on: { SETTLED: { actions: assign({ outcomes: ({ context, event }) => ({ ...context.outcomes, [event.id]: event.outcome }) }) } },
      always: { guard: ({ context }) => Object.keys(context.outcomes).length === context.orders.length, target: 'closed' },
    },
    closed: { type: 'final' },
  },
  output: ({ context }) => context.outcomes,
});

/** Fulfils `orders` (`{ id, card }` each); resolves with each order's outcome once the coordinator is done. */
export function fulfil(orders) {
  return toPromise(createActor(fulfilment, { input: { orders } }).start());
}
