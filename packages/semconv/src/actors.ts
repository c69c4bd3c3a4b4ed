/**
 * Names for actor runtimes (docs/telemetry-contract.md, "Actor runtimes"). OpenTelemetry has
 * no actor conventions, so these are dyntel's own, under `actor.*`.
 */

/** Values of `actor.system`: the actor runtime. */
export const ActorSystem = Object.freeze({ XSTATE: 'xstate' } as const);
/** An actor runtime. */
export type ActorSystem = (typeof ActorSystem)[keyof typeof ActorSystem];

/** Values of `actor.stop.reason`. */
export const ActorStopReason = Object.freeze({
  /** The actor reached its final state. */
  DONE: 'done',
  ERROR: 'error',
  /** Stopped from outside (by its parent or the system). */
  STOPPED: 'stopped',
} as const);
/** Why an actor stopped. */
export type ActorStopReason = (typeof ActorStopReason)[keyof typeof ActorStopReason];

/**
 * The values of `actor.message.type` that stand for XState's built-in event types once the
 * id embedded in them is removed, so that every actor instance shares one series.
 */
export const ActorBuiltinMessageType = Object.freeze({
  /** `xstate.done.actor.<id>`. */
  DONE_ACTOR: 'xstate.done.actor',
  /** `xstate.error.actor.<id>`. */
  ERROR_ACTOR: 'xstate.error.actor',
  /** `xstate.after.<delay>.<state>`. */
  AFTER: 'xstate.after',
  /** `xstate.snapshot.<id>`. */
  SNAPSHOT: 'xstate.snapshot',
} as const);
/** A normalised built-in message type. */
export type ActorBuiltinMessageType = (typeof ActorBuiltinMessageType)[keyof typeof ActorBuiltinMessageType];

/** `actor.type` of an actor with neither a machine id nor a `src`. */
export const ANONYMOUS_ACTOR_TYPE = 'anonymous';

/** The actor runtime: see {@link ActorSystem}. */
export const ATTR_ACTOR_SYSTEM = 'actor.system';
/** The machine id or the `src` the actor was spawned from, else {@link ANONYMOUS_ACTOR_TYPE}. */
export const ATTR_ACTOR_TYPE = 'actor.type';
/** The `actor.type` of the actor's parent. */
export const ATTR_ACTOR_PARENT_TYPE = 'actor.parent.type';
/** The `actor.type` of a message's sender. */
export const ATTR_ACTOR_SOURCE_TYPE = 'actor.source.type';
/** A message's event type, normalised: see {@link ActorBuiltinMessageType}. */
export const ATTR_ACTOR_MESSAGE_TYPE = 'actor.message.type';
/** Why an actor stopped: see {@link ActorStopReason}. */
export const ATTR_ACTOR_STOP_REASON = 'actor.stop.reason';
/** The state-node id a transition left. */
export const ATTR_ACTOR_STATE_FROM = 'actor.state.from';
/** The state-node id a transition entered. */
export const ATTR_ACTOR_STATE_TO = 'actor.state.to';
/** The actor's session id (XState's `sessionId`, such as `x:3`): on spans only, never on metrics. */
export const ATTR_ACTOR_SESSION_ID = 'actor.session.id';

/** Counter of actors spawned or registered. */
export const METRIC_ACTOR_SPAWNED = 'actor.spawned';
/** Up-down counter of live actors. */
export const METRIC_ACTOR_ACTIVE = 'actor.active';
/** Counter of actors stopped or unregistered. */
export const METRIC_ACTOR_STOPPED = 'actor.stopped';
/** Counter of actors restarted (same parent and child id after an error). */
export const METRIC_ACTOR_RESTARTS = 'actor.restarts';
/** Histogram from a message's send to the end of its processing, mailbox wait included, in seconds. */
export const METRIC_ACTOR_MESSAGE_DURATION = 'actor.message.duration';
/** Counter of messages sent to stopped actors. */
export const METRIC_ACTOR_MESSAGES_DROPPED = 'actor.messages.dropped';
/** Counter of state transitions. */
export const METRIC_ACTOR_STATE_TRANSITIONS = 'actor.state.transitions';
/** Observable gauge of the deepest mailbox per actor type. */
export const METRIC_ACTOR_MAILBOX_DEPTH = 'actor.mailbox.depth';
/** Histogram of actor system durations, root start to done, error or stop, in seconds. */
export const METRIC_ACTOR_SYSTEM_DURATION = 'actor.system.duration';

/** A root actor and the system it spawns: `actor.system {root actor.type}`. */
export const SPAN_ACTOR_SYSTEM = 'actor.system';
/** One message, from its send to the end of its processing: `actor.message {target actor.type}`. Off by default. */
export const SPAN_ACTOR_MESSAGE = 'actor.message';

/** An actor started or stopped, its state in `resilience.lifecycle.state`. */
export const EVENT_ACTOR_LIFECYCLE = 'actor.lifecycle';
