import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { emitEvent, monotonicMillis, reportInstrumentationError, resolveErrorType, spanName } from '@dyntel/instrumentation-kit';
import {
  ATTR_ACTOR_MESSAGE_TYPE,
  ATTR_ACTOR_SESSION_ID,
  ATTR_ACTOR_SOURCE_TYPE,
  ATTR_ACTOR_SYSTEM,
  ATTR_ACTOR_TYPE,
  ATTR_ERROR_TYPE,
  ATTR_LIFECYCLE_STATE,
  ActorStopReason,
  ActorSystem,
  EVENT_ACTOR_LIFECYCLE,
  LifecycleState,
  Severity,
  SPAN_ACTOR_MESSAGE,
  SPAN_ACTOR_SYSTEM,
} from '@dyntel/semconv';
import { ActorRecord } from './actor-record';
import type { ActorTelemetry } from './actor-telemetry';
import { actorTypeOf, messageTypeOf } from './names';
import { forEachStateChange } from './state-changes';
import {
  ERROR_ACTOR_PREFIX,
  INIT_EVENT,
  isStopped,
  type ActorEvent,
  type InspectedActor,
  type InspectedSnapshot,
  type InspectedStateNode,
  type InspectedTransition,
  type InspectionEvent,
} from './xstate-shapes';

const LABEL = '@dyntel/instrumentation-agents: inspecting an XState actor system';

/**
 * Turns the inspection events of one XState actor system (a root actor and everything it
 * spawns) into the contract's telemetry. XState calls it synchronously from inside its own
 * processing, so it never throws and never calls user code.
 *
 * What inspection shows: a message is sent (`@xstate.event`, also the `xstate.init` that
 * starts an actor), processed (`@xstate.snapshot`, with the snapshot reached), and the
 * transitions taken on the way (`@xstate.microstep`). A failed child tells its parent
 * (`xstate.error.actor.<id>`); a root actor that fails while processing emits nothing, so its
 * status is checked once the synchronous work that sent it messages is over. Releases before
 * 5.7 send no microsteps: {@link observeSnapshots} tells their transitions from the state nodes
 * of successive snapshots instead.
 */
export class SystemTracker {
  readonly #records = new WeakMap<InspectedActor, ActorRecord>();
  // Started and not stopped: a system ends with its root, and what it leaves running with it.
  readonly #alive = new Set<ActorRecord>();
  // Children that failed, by parent: starting one again under the same id is a restart.
  readonly #failed = new WeakMap<InspectedActor, Set<string>>();
  #root: InspectedActor | undefined;
  #rootRecord: ActorRecord | undefined;
  #checkScheduled = false;

  constructor(private readonly telemetry: ActorTelemetry) {}

  /** The inspection observer; never throws. */
  readonly observe = (event: InspectionEvent): void => {
    try {
      if (!this.telemetry.host.enabled()) return;
      switch (event.type) {
        case '@xstate.event':
          this.#sent(event.actorRef, event.sourceRef, event.event);
          break;
        case '@xstate.snapshot':
          this.#processed(event.actorRef, event.event);
          break;
        case '@xstate.microstep':
          this.#microstep(event.actorRef, event._transitions);
          break;
      }
    } catch (error) {
      reportInstrumentationError(LABEL, error);
    }
  };

  /**
   * The inspection observer for XState releases before 5.7, which send no `@xstate.microstep`
   * events: a processed message's transitions are the state changes between the actor's
   * snapshot before it and after it. A separate observer, so that later releases never pay for
   * comparing snapshots. Never throws.
   */
  readonly observeSnapshots = (event: InspectionEvent): void => {
    try {
      if (!this.telemetry.host.enabled()) return;
      if (event.type === '@xstate.event') {
        this.#sent(event.actorRef, event.sourceRef, event.event);
      } else if (event.type === '@xstate.snapshot') {
        this.#stateChanges(event.actorRef, event.snapshot);
        this.#processed(event.actorRef, event.event);
      }
    } catch (error) {
      reportInstrumentationError(LABEL, error);
    }
  };

  #recordOf(actor: InspectedActor, parent: InspectedActor | undefined): ActorRecord {
    let record = this.#records.get(actor);
    if (record === undefined) {
      const parentType = parent === undefined ? undefined : (this.#records.get(parent)?.type ?? actorTypeOf(parent));
      record = new ActorRecord(actorTypeOf(actor), parentType, actor.sessionId, actor.id);
      this.#records.set(actor, record);
    }
    return record;
  }

  #sent(target: InspectedActor, source: InspectedActor | undefined, event: ActorEvent): void {
    const type = event?.type;
    if (type === INIT_EVENT) {
      this.#started(target, source);
      return;
    }
    if (source !== undefined && typeof type === 'string' && type.startsWith(ERROR_ACTOR_PREFIX)) this.#stop(source, ActorStopReason.ERROR, event.error);
    const record = this.#recordOf(target, target._parent);
    const messageType = messageTypeOf(type);
    const { instruments } = this.telemetry.host;
    if (isStopped(target)) {
      instruments().messagesDropped.add(1, record.droppedAttributes(messageType));
      return;
    }
    const sourceType = source === undefined ? undefined : this.#recordOf(source, source._parent).type;
    record.mailbox.push(event, monotonicMillis(), record.messageAttributes(sourceType, messageType), this.#messageSpan(record, sourceType, messageType));
    // Messages sent before start() wait in the mailbox: the gauge shows them.
    if (!record.started && record.mailbox.depth === 1) this.telemetry.live.add(target, record);
    if (target === this.#root) this.#scheduleRootCheck();
  }

  #messageSpan(record: ActorRecord, sourceType: string | undefined, messageType: string): Span | undefined {
    const { config, tracer } = this.telemetry.host;
    const { messageSpans, requireParentSpan } = config();
    if (messageSpans !== true) return undefined;
    const parent = context.active();
    if (requireParentSpan === true && trace.getSpan(parent) === undefined) return undefined;
    const attributes: Record<string, string> = {
      [ATTR_ACTOR_SYSTEM]: ActorSystem.XSTATE,
      [ATTR_ACTOR_TYPE]: record.type,
      [ATTR_ACTOR_MESSAGE_TYPE]: messageType,
      [ATTR_ACTOR_SESSION_ID]: record.sessionId,
    };
    if (sourceType !== undefined) attributes[ATTR_ACTOR_SOURCE_TYPE] = sourceType;
    return tracer().startSpan(spanName(SPAN_ACTOR_MESSAGE, record.type), { kind: SpanKind.INTERNAL, attributes }, parent);
  }

  #started(actor: InspectedActor, parent: InspectedActor | undefined): void {
    const record = this.#recordOf(actor, parent);
    if (record.started) return;
    record.started = true;
    record.startedAt = monotonicMillis();
    this.#alive.add(record);
    this.telemetry.live.add(actor, record);
    const instruments = this.telemetry.host.instruments();
    instruments.spawned.add(1, record.lifeAttributes);
    instruments.active.add(1, record.lifeAttributes);
    if (parent === undefined) {
      this.#root = actor;
      this.#rootRecord = record;
      record.systemSpan = this.#systemSpan(record);
      this.#scheduleRootCheck();
    } else {
      const failed = this.#failed.get(parent);
      if (failed?.delete(record.id) === true) instruments.restarts.add(1, record.lifeAttributes);
    }
    this.#lifecycle(record, LifecycleState.STARTED);
  }

  #systemSpan(record: ActorRecord): Span | undefined {
    const parent = context.active();
    if (this.telemetry.host.config().requireParentSpan === true && trace.getSpan(parent) === undefined) return undefined;
    return this.telemetry.host.tracer().startSpan(
      spanName(SPAN_ACTOR_SYSTEM, record.type),
      {
        kind: SpanKind.INTERNAL,
        attributes: { [ATTR_ACTOR_SYSTEM]: ActorSystem.XSTATE, [ATTR_ACTOR_TYPE]: record.type, [ATTR_ACTOR_SESSION_ID]: record.sessionId },
      },
      parent,
    );
  }

  #lifecycle(record: ActorRecord, state: LifecycleState): void {
    const systemSpan = this.#rootRecord?.systemSpan;
    const ctx: Context = systemSpan === undefined ? context.active() : trace.setSpan(context.active(), systemSpan);
    emitEvent(this.telemetry.host.logger(), {
      name: EVENT_ACTOR_LIFECYCLE,
      severity: Severity.INFO,
      attributes: { [ATTR_ACTOR_SYSTEM]: ActorSystem.XSTATE, [ATTR_ACTOR_TYPE]: record.type, [ATTR_LIFECYCLE_STATE]: state },
      context: ctx,
    });
  }

  #processed(actor: InspectedActor, event: ActorEvent): void {
    const record = this.#records.get(actor);
    if (record === undefined || record.stopped) return;
    if (record.mailbox.headIs(event)) record.mailbox.shift(this.#record);
    this.#stopIfEnded(actor);
  }

  readonly #record = (sentAt: number, attributes: Attributes, span: Span | undefined): void => {
    this.telemetry.host.instruments().messageDuration.record((monotonicMillis() - sentAt) / 1000, attributes);
    span?.end();
  };

  /** Stops the record of an actor whose snapshot says it ended. */
  #stopIfEnded(actor: InspectedActor): void {
    const snapshot = actor.getSnapshot();
    switch (snapshot?.status) {
      case 'done':
        this.#stop(actor, ActorStopReason.DONE, undefined);
        break;
      case 'error':
        this.#stop(actor, ActorStopReason.ERROR, snapshot.error);
        break;
      case 'stopped':
        this.#stop(actor, ActorStopReason.STOPPED, undefined);
        break;
      default:
        if (isStopped(actor)) this.#stop(actor, ActorStopReason.STOPPED, undefined);
    }
  }

  #microstep(actor: InspectedActor, transitions: readonly InspectedTransition[] | undefined): void {
    if (transitions === undefined || transitions.length === 0) return;
    const record = this.#records.get(actor);
    if (record === undefined) return;
    const counter = this.telemetry.host.instruments().transitions;
    for (const transition of transitions) {
      const from = transition.source?.id;
      const targets = transition.target;
      // A targetless transition runs actions and leaves the state as it is.
      if (from === undefined || targets === undefined) continue;
      for (const target of targets) {
        if (target.id !== undefined) counter.add(1, record.transitionAttributes(transition, from, target.id));
      }
    }
  }

  #stateChanges(actor: InspectedActor, snapshot: InspectedSnapshot | undefined): void {
    const nodes = snapshot?._nodes;
    const record = this.#records.get(actor);
    if (record === undefined || record.stopped || !Array.isArray(nodes)) return;
    const before = record.nodes;
    record.nodes = nodes;
    // The first snapshot is the one the actor starts in; a snapshot that changed no state keeps the same list.
    if (before === undefined || before === nodes) return;
    forEachStateChange(before, nodes, (left, entered) => this.#stateChanged(record, left, entered));
  }

  #stateChanged(record: ActorRecord, left: InspectedStateNode, entered: InspectedStateNode): void {
    if (left.id === undefined || entered.id === undefined) return;
    this.telemetry.host.instruments().transitions.add(1, record.transitionAttributes(left, left.id, entered.id));
  }

  #scheduleRootCheck(): void {
    if (this.#checkScheduled) return;
    this.#checkScheduled = true;
    queueMicrotask(this.#checkRoot);
  }

  // After the synchronous work that sent the root messages: a root that failed while
  // processing one emitted no inspection event about it.
  readonly #checkRoot = (): void => {
    this.#checkScheduled = false;
    try {
      const root = this.#root;
      if (root !== undefined && this.#rootRecord?.stopped === false) this.#stopIfEnded(root);
    } catch (error) {
      reportInstrumentationError(LABEL, error);
    }
  };

  #stop(actor: InspectedActor, reason: ActorStopReason, error: unknown): void {
    const record = this.#records.get(actor);
    if (record === undefined || !record.started || record.stopped) return;
    const errorType = reason === ActorStopReason.ERROR ? resolveErrorType(error) : undefined;
    // The message being processed when the actor failed was processed, with that failure.
    if (reason === ActorStopReason.ERROR) record.mailbox.shift(this.#record);
    this.#end(record, reason, errorType);
    if (reason === ActorStopReason.ERROR && actor._parent !== undefined) {
      let failed = this.#failed.get(actor._parent);
      if (failed === undefined) this.#failed.set(actor._parent, (failed = new Set()));
      failed.add(record.id);
    }
    if (record === this.#rootRecord) this.#endSystem(record, errorType);
  }

  #end(record: ActorRecord, reason: ActorStopReason, errorType: string | undefined): void {
    record.stopped = true;
    // XState cleared its mailbox: what was in it will never be processed.
    record.mailbox.clear();
    this.#alive.delete(record);
    this.telemetry.live.delete(record);
    const instruments = this.telemetry.host.instruments();
    instruments.active.add(-1, record.lifeAttributes);
    instruments.stopped.add(1, record.stoppedAttributes(reason, errorType));
    this.#lifecycle(record, LifecycleState.STOPPED);
  }

  #endSystem(root: ActorRecord, errorType: string | undefined): void {
    // Actors a failed root leaves running can no longer be reached through it: the system ends here.
    for (const record of [...this.#alive]) this.#end(record, ActorStopReason.STOPPED, undefined);
    this.telemetry.host.instruments().systemDuration.record((monotonicMillis() - root.startedAt) / 1000, { [ATTR_ACTOR_TYPE]: root.type });
    const span = root.systemSpan;
    if (span === undefined) return;
    if (errorType !== undefined) {
      span.setAttribute(ATTR_ERROR_TYPE, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}
