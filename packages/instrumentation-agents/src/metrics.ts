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
  METRIC_AGENTS_ACTIVE_INVOCATIONS,
  METRIC_AGENTS_GUARDRAIL_TRIGGERS,
  METRIC_AGENTS_TRANSFERS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  METRIC_GEN_AI_WORKFLOW_DURATION,
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

/** The GenAI agent metrics of the contract, on one meter. */
export interface GenAiInstruments {
  operationDuration: Histogram;
  tokenUsage: Histogram;
  invokeAgentDuration: Histogram;
  executeToolDuration: Histogram;
  workflowDuration: Histogram;
  transfers: Counter;
  guardrailTriggers: Counter;
  activeInvocations: UpDownCounter;
}

/** Every instrument of this package: actors and agents. */
export type AgentsInstruments = ActorInstruments & GenAiInstruments;

const durationAdvice = { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] };

/** Creates the GenAI agent instruments on `meter`. */
export function createGenAiInstruments(meter: Meter): GenAiInstruments {
  return {
    operationDuration: meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
      description: 'GenAI operations: workflows, agent invocations, tool calls and model calls.',
      unit: Unit.SECONDS,
      advice: durationAdvice,
    }),
    tokenUsage: meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, { description: 'Tokens per model call, by token type.', unit: Unit.TOKEN }),
    invokeAgentDuration: meter.createHistogram(METRIC_GEN_AI_INVOKE_AGENT_DURATION, {
      description: 'Agent invocations, from the agent taking over to its end.',
      unit: Unit.SECONDS,
      advice: durationAdvice,
    }),
    executeToolDuration: meter.createHistogram(METRIC_GEN_AI_EXECUTE_TOOL_DURATION, {
      description: 'Tool executions and transfers.',
      unit: Unit.SECONDS,
      advice: durationAdvice,
    }),
    workflowDuration: meter.createHistogram(METRIC_GEN_AI_WORKFLOW_DURATION, { description: 'Workflow runs.', unit: Unit.SECONDS, advice: durationAdvice }),
    transfers: meter.createCounter(METRIC_AGENTS_TRANSFERS, { description: 'Transfers between agents, from the source agent.', unit: Unit.TRANSFER }),
    guardrailTriggers: meter.createCounter(METRIC_AGENTS_GUARDRAIL_TRIGGERS, { description: 'Guardrails that tripped.', unit: Unit.TRIGGER }),
    activeInvocations: meter.createUpDownCounter(METRIC_AGENTS_ACTIVE_INVOCATIONS, { description: 'Agent invocations in progress.', unit: Unit.INVOCATION }),
  };
}
