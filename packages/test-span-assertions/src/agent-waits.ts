import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_ACTOR_STOP_REASON,
  ATTR_ACTOR_TYPE,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TRANSFER_TARGET_NAME,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ActorStopReason,
  EVENT_AGENTS_AGENT_REGISTERED,
  GenAiOperationName,
  METRIC_ACTOR_STOPPED,
  SPAN_ACTOR_SYSTEM,
} from '@dyntel/semconv';
import { capNameLength, invalidValueMessage, showValue, spanName } from '@dyntel/instrumentation-kit';
import { waitForDomainEvent, waitForDomainMetric, waitForDomainSpan, type DomainSpanWait } from './domain-wait';
import type { RecordedEvent } from './event-pattern';
import type { MetricSnapshot } from './measurement';
import type { SpanPatternObject } from './pattern';
import type { Recorder } from './recorder';
import { absent, present, type RecordMatcher } from './values';
import { validateComponentName, validateMember } from './wait-arguments';
import type { WaitOptions } from './waiter';

/** Options of the waits for a span that ends with an outcome: a coordination, an agent invocation. */
export interface OutcomeWaitOptions extends WaitOptions {
  /** Only one that failed (`true`: status ERROR) or one that did not (`false`). */
  failed?: boolean;
  /** Only one that failed with this `error.type`. */
  errorType?: string;
}

/** Options of {@link waitForActorStopped}. */
export interface ActorStoppedWaitOptions extends WaitOptions {
  /** Only actors that stopped for this reason: `done`, `error` or `stopped`. */
  reason?: ActorStopReason;
  /** Only actors that failed with this `error.type` (the reason is then `error`). */
  errorType?: string;
  /** How many actors of the type must have stopped so: 1 by default. */
  count?: number;
}

function validateErrorType(errorType: unknown, label: string): asserts errorType is string | undefined {
  if (errorType !== undefined && (typeof errorType !== 'string' || errorType === '')) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'errorType', value: errorType, expected: 'an error.type, a non-empty string' }));
  }
}

/** The failure part of an outcome wait's pattern and wording, once its options are checked. */
function outcomeOf(options: OutcomeWaitOptions, label: string): { pattern: SpanPatternObject; what: string; fails: boolean } {
  const { failed, errorType } = options;
  if (failed !== undefined && typeof failed !== 'boolean') {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'failed', value: failed, expected: 'true or false' }));
  }
  validateErrorType(errorType, label);
  if (errorType !== undefined && failed === false) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'failed', value: failed, expected: 'true or unset with an errorType: only a failure has one' }));
  }
  if (errorType !== undefined) return { pattern: { status: 'error', attributes: { [ATTR_ERROR_TYPE]: errorType } }, what: ` that failed with ${showValue(errorType)}`, fails: true };
  if (failed === true) return { pattern: { status: 'error' }, what: ' that failed', fails: true };
  if (failed === false) return { pattern: { attributes: { [ATTR_ERROR_TYPE]: absent() } }, what: ' that succeeded', fails: false };
  return { pattern: {}, what: '', fails: false };
}

/** `pattern` with the outcome's status and attributes added. */
function withOutcome(pattern: SpanPatternObject, outcome: SpanPatternObject): SpanPatternObject {
  return { ...pattern, ...outcome, attributes: { ...(pattern.attributes as object), ...(outcome.attributes as object) } };
}

/** How a span ended, in near-miss lines. */
const describeEnd = (span: ReadableSpan): string => {
  const type = span.attributes[ATTR_ERROR_TYPE];
  const end = type !== undefined ? `failed with ${showValue(type)}` : span.status.code === SpanStatusCode.ERROR ? 'failed' : 'succeeded';
  return `${showValue(span.name)}: ${end}`;
};

const operation = (name: GenAiOperationName) => ({ [ATTR_GEN_AI_OPERATION_NAME]: name });

/** What an outcome wait awaits, before its outcome options narrow it. */
interface OutcomeSubject {
  /** The spans of the one awaited (a workflow, an agent, a root type). */
  own: SpanPatternObject;
  /** The spans of the same kind that are not its own. */
  others: SpanPatternObject;
  /** What is awaited, before the outcome: `workflow "support" to end`. */
  expectation: string;
  /** The heading of the own spans: `Runs of workflow "support"`. */
  ownTitle: string;
  /** The heading of the others: `Runs of other workflows`. */
  othersTitle: string;
}

/** The span wait of a coordination or an agent invocation, narrowed by the outcome options. */
function outcomeWait(label: string, { own, others, expectation, ownTitle, othersTitle }: OutcomeSubject, options: OutcomeWaitOptions): DomainSpanWait {
  const outcome = outcomeOf(options, label);
  return {
    label,
    pattern: withOutcome(own, outcome.pattern),
    expectation: `${expectation}${outcome.what}`,
    related: [
      { title: ownTitle, pattern: own, describe: describeEnd },
      // Others that failed so are the likelier mix-up when a failure is awaited.
      { title: `${othersTitle}${outcome.fails ? outcome.what : ''}`, pattern: outcome.fails ? withOutcome(others, outcome.pattern) : others, describe: describeEnd },
    ],
  };
}

/** Strips the outcome options, for the wait itself. */
function waitOptionsOf({ failed: _failed, errorType: _errorType, ...rest }: OutcomeWaitOptions): WaitOptions {
  return rest;
}

/**
 * Resolves with the ended `actor.system {rootType}` span: the coordination session of a root
 * actor of that type (its `actor.type`, the machine id) and everything it spawned, ended because
 * the root was done, failed or was stopped. With `failed` or `errorType`, only one that did or
 * did not fail (status ERROR, the root's `error.type`). On timeout the error lists that type's
 * ended systems and other systems. The span is recorded only while spans are.
 */
export async function waitForActorSystem(recorder: Recorder, rootType: string, options: OutcomeWaitOptions = {}): Promise<ReadableSpan> {
  const label = 'waitForActorSystem';
  validateComponentName(rootType, 'actor', label);
  // Telemetry carries an actor type cut to the contract's length; so does what is awaited.
  rootType = capNameLength(rootType);
  const name = spanName(SPAN_ACTOR_SYSTEM, rootType);
  // Only coordination spans are named `actor.system {type}`.
  const otherSystem = (other: unknown) => typeof other === 'string' && other.startsWith(`${SPAN_ACTOR_SYSTEM} `) && other !== name;
  const subject = { own: { name, attributes: { [ATTR_ACTOR_TYPE]: rootType } }, others: { name: otherSystem }, expectation: `the actor system of root ${showValue(rootType)} to end`, ownTitle: `Ended systems of root ${showValue(rootType)}`, othersTitle: 'Ended systems of other roots' };
  return waitForDomainSpan(recorder, outcomeWait(label, subject, options), waitOptionsOf(options));
}

/**
 * Resolves with the ended `invoke_workflow` span of workflow `name` (its `gen_ai.workflow.name`):
 * a workflow run, the agents' coordination session. `null` awaits a run without a name of its
 * own (a framework default such as the Agents SDK's `Agent workflow` is not carried). With
 * `failed` or `errorType`, only a run that did or did not fail. On timeout the error lists that
 * workflow's ended runs and other workflows' runs.
 */
export async function waitForWorkflow(recorder: Recorder, name: string | null, options: OutcomeWaitOptions = {}): Promise<ReadableSpan> {
  const label = 'waitForWorkflow';
  if (name !== null) validateComponentName(name, 'workflow', label);
  const runs = operation(GenAiOperationName.INVOKE_WORKFLOW);
  const subject = {
    own: { attributes: { ...runs, [ATTR_GEN_AI_WORKFLOW_NAME]: name ?? absent() } },
    others: { attributes: { ...runs, [ATTR_GEN_AI_WORKFLOW_NAME]: (other: unknown) => other !== (name ?? undefined) } },
    expectation: `a run of ${name === null ? 'a workflow without a name' : `workflow ${showValue(name)}`} to end`,
    ownTitle: name === null ? 'Ended runs of workflows without a name' : `Ended runs of workflow ${showValue(name)}`,
    othersTitle: 'Ended runs of other workflows',
  };
  return waitForDomainSpan(recorder, outcomeWait(label, subject, options), waitOptionsOf(options));
}

/**
 * Resolves with the ended `invoke_agent {agent}` span of agent `agent`: one invocation (turn)
 * of that agent. With `failed` or `errorType`, only one that did or did not fail. On timeout the
 * error lists that agent's ended invocations and other agents'.
 */
export async function waitForAgentInvocation(recorder: Recorder, agent: string, options: OutcomeWaitOptions = {}): Promise<ReadableSpan> {
  const label = 'waitForAgentInvocation';
  validateComponentName(agent, 'agent', label);
  const invocations = operation(GenAiOperationName.INVOKE_AGENT);
  const subject = {
    own: { attributes: { ...invocations, [ATTR_GEN_AI_AGENT_NAME]: agent } },
    others: { attributes: { ...invocations, [ATTR_GEN_AI_AGENT_NAME]: (other: unknown) => other !== agent } },
    expectation: `an invocation of agent ${showValue(agent)} to end`,
    ownTitle: `Ended invocations of agent ${showValue(agent)}`,
    othersTitle: 'Ended invocations of other agents',
  };
  return waitForDomainSpan(recorder, outcomeWait(label, subject, options), waitOptionsOf(options));
}

const describeTransfer = (span: ReadableSpan): string =>
  `${showValue(span.attributes[ATTR_GEN_AI_AGENT_NAME])} → ${showValue(span.attributes[ATTR_GEN_AI_TRANSFER_TARGET_NAME])}`;

/**
 * Resolves with the ended `execute_tool` span of a handoff from agent `from` to agent `to` (its
 * `gen_ai.agent.name` and `gen_ai.transfer.target.name`). On timeout the error lists the
 * handoffs from `from` and the handoffs to `to` from other agents.
 */
export async function waitForHandoff(recorder: Recorder, from: string, to: string, options?: WaitOptions): Promise<ReadableSpan> {
  const label = 'waitForHandoff';
  validateComponentName(from, 'agent', label);
  validateComponentName(to, 'agent', label);
  const transfer = operation(GenAiOperationName.EXECUTE_TOOL);
  return waitForDomainSpan(
    recorder,
    {
      label,
      pattern: { attributes: { ...transfer, [ATTR_GEN_AI_AGENT_NAME]: from, [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: to } },
      expectation: `a handoff from agent ${showValue(from)} to agent ${showValue(to)}`,
      related: [
        { title: `Handoffs from agent ${showValue(from)}`, pattern: { attributes: { ...transfer, [ATTR_GEN_AI_AGENT_NAME]: from, [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: present() } }, describe: describeTransfer },
        {
          title: `Handoffs to agent ${showValue(to)} from other agents`,
          pattern: { attributes: { ...transfer, [ATTR_GEN_AI_AGENT_NAME]: (other: unknown) => other !== from, [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: to } },
          describe: describeTransfer,
        },
      ],
    },
    options,
  );
}

/**
 * Resolves with the `agents.agent.registered` event of agent `agent`: the framework saw the
 * agent's definition for the first time (it carries the agent's tools and handoffs). On timeout
 * the error lists the other agents registered.
 */
export async function waitForAgentRegistered(recorder: Recorder, agent: string, options?: WaitOptions): Promise<RecordedEvent> {
  const label = 'waitForAgentRegistered';
  validateComponentName(agent, 'agent', label);
  // Each registration is a log record and a span event: near misses come from the log records.
  const registered = { name: EVENT_AGENTS_AGENT_REGISTERED, source: 'log' } as const;
  return waitForDomainEvent(
    recorder,
    {
      label,
      pattern: { ...registered, attributes: { [ATTR_GEN_AI_AGENT_NAME]: agent } },
      expectation: `agent ${showValue(agent)} to register`,
      related: [{ title: 'Other agents registered', pattern: { ...registered, attributes: { [ATTR_GEN_AI_AGENT_NAME]: (other: unknown) => other !== agent } }, describe: (e) => showValue(e.attributes[ATTR_GEN_AI_AGENT_NAME]) }],
    },
    options,
  );
}

/**
 * Resolves with the snapshot of `actor.stopped` for actors of type `type` (the machine id or
 * the `src` it was spawned from) once `count` (default 1) of them have stopped, for `reason` if
 * given (`done`, `error`, `stopped`) and with `errorType` if given (a failure). The counter
 * knows types, not instances: the count is over every actor of the type. On timeout the error
 * gives the type's count and the other points of the counter.
 */
export async function waitForActorStopped(recorder: Recorder, type: string, options: ActorStoppedWaitOptions = {}): Promise<MetricSnapshot> {
  const label = 'waitForActorStopped';
  validateComponentName(type, 'actor', label);
  const { reason, errorType, count = 1, ...waitOptions } = options;
  if (reason !== undefined) validateMember(reason, ActorStopReason, 'reason', label);
  validateErrorType(errorType, label);
  if (errorType !== undefined && reason !== undefined && reason !== ActorStopReason.ERROR) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'reason', value: reason, expected: `${ActorStopReason.ERROR} or unset with an errorType: only a failure has one` }));
  }
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'count', value: count, expected: 'a number of actors, an integer from 1' }));
  }
  type = capNameLength(type);
  const stopReason = errorType !== undefined ? ActorStopReason.ERROR : reason;
  const where: RecordMatcher = {
    [ATTR_ACTOR_TYPE]: type,
    ...(stopReason === undefined ? {} : { [ATTR_ACTOR_STOP_REASON]: stopReason }),
    ...(errorType === undefined ? {} : { [ATTR_ERROR_TYPE]: errorType }),
  };
  const how = errorType !== undefined ? ` failing with ${showValue(errorType)}` : stopReason === undefined ? '' : ` with reason ${stopReason}`;
  return waitForDomainMetric(
    recorder,
    {
      label,
      name: METRIC_ACTOR_STOPPED,
      where,
      satisfied: (s) => s.value >= count,
      expectation: `${count === 1 ? 'an actor' : `${count} actors`} of type ${showValue(type)} to stop${how}`,
    },
    waitOptions,
  );
}
