/**
 * The parts of XState v5 this instrumentation reads, as structural types: the package never
 * imports xstate at run time, and these fields are what the inspection API hands out.
 */

/** An XState actor as inspection events show it. */
export interface InspectedActor {
  readonly id: string;
  readonly sessionId: string;
  readonly logic: unknown;
  readonly src: unknown;
  readonly _parent?: InspectedActor;
  /** XState's processing status: 2 once stopped (the value `@xstate/react` also relies on). */
  readonly _processingStatus?: number;
  getSnapshot(): InspectedSnapshot | undefined;
}

/** A state node of a machine, as a snapshot's `_nodes` lists the active ones. */
export interface InspectedStateNode {
  readonly id?: string;
  readonly parent?: InspectedStateNode;
}

/** An actor's snapshot: a machine's lists its active state nodes. */
export interface InspectedSnapshot {
  readonly status?: string;
  readonly error?: unknown;
  readonly _nodes?: readonly InspectedStateNode[];
}

/** An event an actor receives. */
export interface ActorEvent {
  readonly type: string;
  readonly error?: unknown;
}

/** One transition of a microstep: a state node and the nodes it targets. */
export interface InspectedTransition {
  readonly source?: { readonly id?: string };
  readonly target?: readonly { readonly id?: string }[];
}

/** The inspection events this instrumentation handles. */
export type InspectionEvent =
  | { type: '@xstate.event'; sourceRef?: InspectedActor; actorRef: InspectedActor; event: ActorEvent }
  | { type: '@xstate.snapshot'; actorRef: InspectedActor; event: ActorEvent; snapshot: InspectedSnapshot }
  | { type: '@xstate.microstep'; actorRef: InspectedActor; event: ActorEvent; _transitions?: readonly InspectedTransition[] }
  | { type: '@xstate.actor' | '@xstate.action'; actorRef: InspectedActor };

/** XState's `ProcessingStatus.Stopped`. */
const STOPPED_STATUS = 2;

/** Whether an actor no longer takes messages: XState drops what is sent to it. */
export function isStopped(actor: InspectedActor): boolean {
  const status = actor._processingStatus;
  if (typeof status === 'number') return status === STOPPED_STATUS;
  return actor.getSnapshot()?.status !== 'active';
}

/** The init event XState sends an actor when it starts. */
export const INIT_EVENT = 'xstate.init';
/** The prefix of the event a failed child sends its parent. */
export const ERROR_ACTOR_PREFIX = 'xstate.error.actor.';
