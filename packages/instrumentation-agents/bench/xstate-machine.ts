// The machine the bench drives: a counter that flips between two states on every TICK, so that
// each event is one message and one transition with a target, and the attributes the contract
// gives them, which the SDK floor records.
import {
  ATTR_ACTOR_MESSAGE_TYPE,
  ATTR_ACTOR_SESSION_ID,
  ATTR_ACTOR_STATE_FROM,
  ATTR_ACTOR_STATE_TO,
  ATTR_ACTOR_SYSTEM,
  ATTR_ACTOR_TYPE,
  ActorSystem,
  SPAN_ACTOR_MESSAGE,
} from '@dyntel/semconv';
import type { Attributes } from '@opentelemetry/api';
import type * as XState from 'xstate';

/** The xstate module. */
export type XStateModule = typeof XState;

/** Events per run: one actor started, sent this many TICKs, stopped. */
export const EVENTS = 100_000;

const TYPE = 'counter';
const TICK = { type: 'TICK' } as const;

/** The counter machine. */
export function counterMachine(x: XStateModule) {
  return x.createMachine({
    id: TYPE,
    initial: 'even',
    states: {
      even: { on: { TICK: { target: 'odd' } } },
      odd: { on: { TICK: { target: 'even' } } },
    },
  });
}

/** One run: a counter actor through `x.createActor` with `options`, sent {@link EVENTS} events. */
export function runCounter(x: XStateModule, machine: ReturnType<typeof counterMachine>, options?: Parameters<XStateModule['createActor']>[1]): void {
  const actor = x.createActor(machine, options).start();
  for (let i = 0; i < EVENTS; i++) actor.send(TICK);
  actor.stop();
}

/** `actor.message.duration` of a TICK sent from outside any actor. */
export const MESSAGE_ATTRIBUTES: Attributes = { [ATTR_ACTOR_TYPE]: TYPE, [ATTR_ACTOR_MESSAGE_TYPE]: TICK.type };
/** `actor.state.transitions` of the two transitions. */
export const EVEN_TO_ODD: Attributes = { [ATTR_ACTOR_TYPE]: TYPE, [ATTR_ACTOR_STATE_FROM]: 'counter.even', [ATTR_ACTOR_STATE_TO]: 'counter.odd' };
export const ODD_TO_EVEN: Attributes = { [ATTR_ACTOR_TYPE]: TYPE, [ATTR_ACTOR_STATE_FROM]: 'counter.odd', [ATTR_ACTOR_STATE_TO]: 'counter.even' };
/** The `actor.message` span's name. */
export const MESSAGE_SPAN = `${SPAN_ACTOR_MESSAGE} ${TYPE}`;
/** The `actor.message` span's attributes for a session. */
export const messageSpanAttributes = (sessionId: string): Attributes => ({
  [ATTR_ACTOR_SYSTEM]: ActorSystem.XSTATE,
  [ATTR_ACTOR_TYPE]: TYPE,
  [ATTR_ACTOR_MESSAGE_TYPE]: TICK.type,
  [ATTR_ACTOR_SESSION_ID]: sessionId,
});
