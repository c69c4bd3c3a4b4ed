import { capNameLength, cardinalityGuardFor } from '@dyntel/instrumentation-kit';
import {
  ANONYMOUS_ACTOR_TYPE,
  ATTR_ACTOR_MESSAGE_TYPE,
  ATTR_ACTOR_STATE_FROM,
  ATTR_ACTOR_STATE_TO,
  ATTR_ACTOR_TYPE,
  ActorBuiltinMessageType,
  OTHER_VALUE,
} from '@dyntel/semconv';
import type { InspectedActor } from './xstate-shapes';

// The id XState gives a machine created without one: no name of the user's.
const DEFAULT_MACHINE_ID = '(machine)';

/** A guarded metric value: cut, generated-looking names and those past the cap as `_OTHER`. */
function guarded(attribute: string, raw: string): string {
  return cardinalityGuardFor(attribute).admit(capNameLength(raw)) ?? OTHER_VALUE;
}

/**
 * The contract's `actor.type`: the machine id, else the `src` the actor was spawned from (a
 * key of the machine's `actors`), else `anonymous`; cut and cardinality-guarded, so it is safe
 * on metrics. A generated-looking name is `anonymous`.
 */
export function actorTypeOf(actor: InspectedActor): string {
  const id = (actor.logic as { id?: unknown } | null | undefined)?.id;
  const chosen = typeof id === 'string' && id !== '' && id !== DEFAULT_MACHINE_ID ? id : typeof actor.src === 'string' && actor.src !== '' ? actor.src : undefined;
  if (chosen === undefined) return ANONYMOUS_ACTOR_TYPE;
  return cardinalityGuardFor(ATTR_ACTOR_TYPE).admit(capNameLength(chosen)) ?? ANONYMOUS_ACTOR_TYPE;
}

// XState's built-in event types that embed an id, by prefix, and what they stand for.
const BUILTIN_PREFIXES: readonly (readonly [string, string])[] = [
  ['xstate.done.actor.', ActorBuiltinMessageType.DONE_ACTOR],
  ['xstate.error.actor.', ActorBuiltinMessageType.ERROR_ACTOR],
  ['xstate.after.', ActorBuiltinMessageType.AFTER],
  ['xstate.snapshot.', ActorBuiltinMessageType.SNAPSHOT],
];
// Message types are few per application, but one that builds types from data must not grow this.
const MESSAGE_TYPE_CACHE_LIMIT = 1_000;
const messageTypes = new Map<string, string>();

/**
 * The contract's `actor.message.type`: XState's built-in types without the ids they embed,
 * user types as they are, through the cardinality guard (generated-looking ones as `_OTHER`).
 */
export function messageTypeOf(raw: unknown): string {
  if (typeof raw !== 'string') return OTHER_VALUE;
  const cached = messageTypes.get(raw);
  if (cached !== undefined) return cached;
  const builtin = BUILTIN_PREFIXES.find(([prefix]) => raw.startsWith(prefix));
  const type = builtin !== undefined ? builtin[1] : guarded(ATTR_ACTOR_MESSAGE_TYPE, raw);
  if (messageTypes.size < MESSAGE_TYPE_CACHE_LIMIT) messageTypes.set(raw, type);
  return type;
}

/** A state-node id as `actor.state.from` carries it. */
export function stateFrom(id: string): string {
  return guarded(ATTR_ACTOR_STATE_FROM, id);
}

/** A state-node id as `actor.state.to` carries it. */
export function stateTo(id: string): string {
  return guarded(ATTR_ACTOR_STATE_TO, id);
}
