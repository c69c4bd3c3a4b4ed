import type { Logger, ObservableResult, Tracer } from '@opentelemetry/api';
import { LiveComponents, safely } from '@dyntel/instrumentation-kit';
import { ATTR_ACTOR_TYPE } from '@dyntel/semconv';
import type { ActorInstruments } from '../metrics';
import type { AgentsInstrumentationConfig } from '../types';
import type { ActorRecord } from './actor-record';
import { SystemTracker } from './system-tracker';

/** What the actor telemetry reads from its instrumentation, always current. */
export interface ActorTelemetryHost {
  tracer(): Tracer;
  logger(): Logger;
  config(): AgentsInstrumentationConfig;
  instruments(): ActorInstruments;
  enabled(): boolean;
}

/**
 * The actor telemetry of one instrumentation: a {@link SystemTracker} per actor system, and
 * the live actors of every system for the mailbox gauge.
 */
export class ActorTelemetry {
  /** Live actors, held weakly, for `actor.mailbox.depth`. */
  readonly live = new LiveComponents<ActorRecord>();

  constructor(readonly host: ActorTelemetryHost) {}

  /** A tracker for a new actor system. */
  newSystem(): SystemTracker {
    // Instruments are created on first use, and the mailbox gauge must be there before any message is.
    this.host.instruments();
    return new SystemTracker(this);
  }

  /** The mailbox gauge's callback: the deepest mailbox of each type with a live actor. */
  readonly observeMailboxes = (result: ObservableResult): void => {
    safely('@dyntel/instrumentation-agents: observing actor mailboxes', () => {
      const deepest = new Map<string, number>();
      this.live.forEachLive((record) => {
        const depth = record.mailbox.depth;
        if (depth >= (deepest.get(record.type) ?? 0)) deepest.set(record.type, depth);
      });
      for (const [type, depth] of deepest) result.observe(depth, { [ATTR_ACTOR_TYPE]: type });
    });
  };
}
