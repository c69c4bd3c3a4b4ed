import type { Attributes, Span } from '@opentelemetry/api';
import {
  ATTR_ACTOR_MESSAGE_TYPE,
  ATTR_ACTOR_PARENT_TYPE,
  ATTR_ACTOR_SOURCE_TYPE,
  ATTR_ACTOR_STATE_FROM,
  ATTR_ACTOR_STATE_TO,
  ATTR_ACTOR_STOP_REASON,
  ATTR_ACTOR_TYPE,
  ATTR_ERROR_TYPE,
  type ActorStopReason,
} from '@dyntel/semconv';
import { Mailbox } from './mailbox';
import { stateFrom, stateTo } from './names';
import type { InspectedStateNode } from './xstate-shapes';

// `undefined` (a message sent from outside any actor) as a map key.
const OUTSIDE = '';

/**
 * What is known about one actor: its type, its parent's, the messages in its mailbox, and the
 * metric attribute sets it uses, built once each so that a message allocates none. It never
 * references the actor, so tracking cannot keep an actor alive.
 */
export class ActorRecord {
  /** Messages sent and not yet processed. */
  readonly mailbox = new Mailbox();
  started = false;
  stopped = false;
  /** When the actor started (monotonic milliseconds). */
  startedAt = 0;
  /** The active state nodes of the last snapshot seen, on releases whose transitions are told from snapshots. */
  nodes: readonly InspectedStateNode[] | undefined;
  /** The `actor.system` span, for a root actor. */
  systemSpan: Span | undefined;
  /** The contract's attributes of spawned, active and restarts. */
  readonly lifeAttributes: Attributes;
  readonly #messages = new Map<string, Map<string, Attributes>>();
  readonly #dropped = new Map<string, Attributes>();
  readonly #stopped = new Map<string, Attributes>();
  readonly #transitions = new WeakMap<object, Attributes>();

  constructor(
    readonly type: string,
    readonly parentType: string | undefined,
    readonly sessionId: string,
    /** The actor's id under its parent, for the restart heuristic. */
    readonly id: string,
  ) {
    this.lifeAttributes = parentType === undefined ? { [ATTR_ACTOR_TYPE]: type } : { [ATTR_ACTOR_TYPE]: type, [ATTR_ACTOR_PARENT_TYPE]: parentType };
  }

  /** The attributes of `actor.message.duration` for a message of `messageType` from an actor of `sourceType`. */
  messageAttributes(sourceType: string | undefined, messageType: string): Attributes {
    const key = sourceType ?? OUTSIDE;
    let byType = this.#messages.get(key);
    if (byType === undefined) this.#messages.set(key, (byType = new Map()));
    let attributes = byType.get(messageType);
    if (attributes === undefined) {
      attributes = { [ATTR_ACTOR_TYPE]: this.type, [ATTR_ACTOR_MESSAGE_TYPE]: messageType };
      if (sourceType !== undefined) attributes[ATTR_ACTOR_SOURCE_TYPE] = sourceType;
      byType.set(messageType, attributes);
    }
    return attributes;
  }

  /** The attributes of `actor.messages.dropped`. */
  droppedAttributes(messageType: string): Attributes {
    let attributes = this.#dropped.get(messageType);
    if (attributes === undefined) this.#dropped.set(messageType, (attributes = { [ATTR_ACTOR_TYPE]: this.type, [ATTR_ACTOR_MESSAGE_TYPE]: messageType }));
    return attributes;
  }

  /** The attributes of `actor.stopped`. */
  stoppedAttributes(reason: ActorStopReason, errorType: string | undefined): Attributes {
    const key = errorType === undefined ? reason : `${reason}\u0000${errorType}`;
    let attributes = this.#stopped.get(key);
    if (attributes === undefined) {
      attributes = { [ATTR_ACTOR_TYPE]: this.type, [ATTR_ACTOR_STOP_REASON]: reason };
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      this.#stopped.set(key, attributes);
    }
    return attributes;
  }

  /**
   * The attributes of `actor.state.transitions` for one transition definition (static per
   * machine), or the state node left when transitions are told from snapshots, and its target.
   */
  transitionAttributes(transition: object, from: string, to: string): Attributes {
    // Most transitions have one target: that one is cached by the definition (or node) itself.
    let attributes = this.#transitions.get(transition);
    if (attributes === undefined || attributes[ATTR_ACTOR_STATE_TO] !== stateTo(to)) {
      attributes = { [ATTR_ACTOR_TYPE]: this.type, [ATTR_ACTOR_STATE_FROM]: stateFrom(from), [ATTR_ACTOR_STATE_TO]: stateTo(to) };
      this.#transitions.set(transition, attributes);
    }
    return attributes;
  }
}
