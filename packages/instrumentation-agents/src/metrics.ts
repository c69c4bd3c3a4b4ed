import type { Counter, Histogram, Meter, ObservableGauge, UpDownCounter } from '@opentelemetry/api';
import {
  DURATION_BUCKETS_SECONDS,
  METRIC_ACTOR_ACTIVE,
  METRIC_ACTOR_MAILBOX_DEPTH,
  METRIC_ACTOR_MESSAGE_DURATION,
  METRIC_ACTOR_MESSAGES_DROPPED,
  METRIC_ACTOR_RESTARTS,
  METRIC_ACTOR_SPAWNED,
  METRIC_ACTOR_STATE_TRANSITIONS,
  METRIC_ACTOR_STOPPED,
  METRIC_ACTOR_SYSTEM_DURATION,
  Unit,
} from '@dyntel/semconv';

/** The actor metrics of the contract, on one meter. */
export interface ActorInstruments {
  spawned: Counter;
  active: UpDownCounter;
  stopped: Counter;
  restarts: Counter;
  messageDuration: Histogram;
  messagesDropped: Counter;
  transitions: Counter;
  mailboxDepth: ObservableGauge;
  systemDuration: Histogram;
}

/** Creates the actor instruments on `meter`. */
export function createActorInstruments(meter: Meter): ActorInstruments {
  return {
    spawned: meter.createCounter(METRIC_ACTOR_SPAWNED, { description: 'Actors spawned (started).', unit: Unit.ACTOR }),
    active: meter.createUpDownCounter(METRIC_ACTOR_ACTIVE, { description: 'Actors alive: started and not yet stopped.', unit: Unit.ACTOR }),
    stopped: meter.createCounter(METRIC_ACTOR_STOPPED, { description: 'Actors stopped, by reason.', unit: Unit.ACTOR }),
    restarts: meter.createCounter(METRIC_ACTOR_RESTARTS, {
      description: 'Actors started again under the same parent and id after failing.',
      unit: Unit.RESTART,
    }),
    messageDuration: meter.createHistogram(METRIC_ACTOR_MESSAGE_DURATION, {
      description: 'Actor messages, from send to the end of processing, mailbox wait included.',
      unit: Unit.SECONDS,
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
    }),
    messagesDropped: meter.createCounter(METRIC_ACTOR_MESSAGES_DROPPED, { description: 'Messages sent to stopped actors.', unit: Unit.MESSAGE }),
    transitions: meter.createCounter(METRIC_ACTOR_STATE_TRANSITIONS, { description: 'State transitions of actors.', unit: Unit.TRANSITION }),
    mailboxDepth: meter.createObservableGauge(METRIC_ACTOR_MAILBOX_DEPTH, {
      description: 'The deepest mailbox among the live actors of each type: messages sent and not yet processed.',
      unit: Unit.MESSAGE,
    }),
    systemDuration: meter.createHistogram(METRIC_ACTOR_SYSTEM_DURATION, {
      description: 'Actor systems, from the root actor start until it is done, fails or is stopped.',
      unit: Unit.SECONDS,
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
    }),
  };
}
