import {
  context as otelContext,
  isSpanContextValid,
  ROOT_CONTEXT,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Logger,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { cardinalityGuardFor, emitEvent, monotonicMillis, reportInstrumentationError, secondsSince, spanName } from '@dyntel/instrumentation-kit';
import {
  ATTR_AGENTS_AGENT_HANDOFFS,
  ATTR_AGENTS_AGENT_TOOLS,
  ATTR_AGENTS_GUARDRAIL_NAME,
  ATTR_AGENTS_GUARDRAIL_TRIGGERED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_TRANSFER_MODE,
  ATTR_GEN_AI_TRANSFER_TARGET_NAME,
  ATTR_GEN_AI_TRANSFER_TARGET_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  EVENT_AGENTS_AGENT_REGISTERED,
  EVENT_AGENTS_GUARDRAIL,
  GenAiOperationName,
  GenAiProviderName,
  GenAiTokenType,
  GenAiTransferMode,
  GenAiTransferTargetType,
  OTHER_VALUE,
} from '@dyntel/semconv';
import type { GenAiInstruments } from '../metrics';
import { AttributeSets, DerivedStrings } from './attribute-sets';
import type { AgentsInstrumentationConfig } from '../types';
import { modelCallAnswer } from './model-call';
import type { SpanRecord, WorkflowRecord } from './records';
import { DEFAULT_WORKFLOW_NAME, type SdkContextStore, type SdkSpan, type SdkTrace } from './sdk-shapes';
import type { SdkTarget } from './sdk-attachment';

/** What the OpenAI Agents telemetry reads from its instrumentation, always current. */
export interface OpenAiTelemetryHost {
  tracer(): Tracer;
  logger(): Logger;
  config(): AgentsInstrumentationConfig;
  instruments(): GenAiInstruments;
  enabled(): boolean;
  /** Whether content is captured: the config, else the environment. */
  captureContent(): boolean;
}

const LABEL = '@dyntel/instrumentation-agents: recording an OpenAI Agents SDK';
const TRACE_START = `${LABEL} trace start`;
const TRACE_END = `${LABEL} trace end`;
const SPAN_START = `${LABEL} span start`;
const SPAN_END = `${LABEL} span end`;
// How far up the SDK's chain of previous spans a parent that has not reached us yet is looked for.
const PARENT_SEARCH_DEPTH = 32;

const agentNames = cardinalityGuardFor(ATTR_GEN_AI_AGENT_NAME);
const toolNames = cardinalityGuardFor(ATTR_GEN_AI_TOOL_NAME);
const models = cardinalityGuardFor(ATTR_GEN_AI_REQUEST_MODEL);
const workflowNames = cardinalityGuardFor(ATTR_GEN_AI_WORKFLOW_NAME);
const targetNames = cardinalityGuardFor(ATTR_GEN_AI_TRANSFER_TARGET_NAME);
const guardrailNames = cardinalityGuardFor(ATTR_AGENTS_GUARDRAIL_NAME);

/**
 * The SDK's traces and spans, as the contract's spans, metrics and events: the tracing
 * processor the SDK calls (through the attachment), and the lookup that tells which of our
 * spans code running in an SDK context nests under. SDK spans are known by id, since the SDK
 * clones span objects between contexts.
 */
export class OpenAiTelemetry implements SdkTarget {
  readonly #workflows = new Map<string, WorkflowRecord>();
  readonly #spans = new Map<string, SpanRecord>();
  readonly #registered = new Set<string>();

  constructor(
    private readonly host: OpenAiTelemetryHost,
    /** Called at every trace start: the SDK's context storage may have been replaced. */
    private readonly followContext: () => void,
  ) {}

  // Each callback catches what it throws itself (no closure per call): the SDK calls them per span.
  onTraceStart(sdkTrace: SdkTrace): void {
    if (!this.host.enabled()) return;
    try {
      this.followContext();
      if (!this.#workflows.has(sdkTrace.traceId)) this.#workflows.set(sdkTrace.traceId, this.#newWorkflow(sdkTrace, otelContext.active()));
    } catch (error) {
      reportInstrumentationError(TRACE_START, error);
    }
  }

  onTraceEnd(sdkTrace: SdkTrace): void {
    try {
      this.#endWorkflow(sdkTrace.traceId);
    } catch (error) {
      reportInstrumentationError(TRACE_END, error);
    }
  }

  onSpanStart(sdkSpan: SdkSpan): void {
    if (!this.host.enabled()) return;
    try {
      this.#start(sdkSpan);
    } catch (error) {
      reportInstrumentationError(SPAN_START, error);
    }
  }

  onSpanEnd(sdkSpan: SdkSpan): void {
    try {
      const record = this.#spans.get(sdkSpan.spanId);
      if (record === undefined) return;
      this.#spans.delete(sdkSpan.spanId);
      record.workflow.openSpans -= 1;
      this.#end(sdkSpan, record);
      // The SDK never ends the trace of a run that failed: its last top-level span failing ends it.
      if (sdkSpan.error && !sdkSpan.parentId && record.workflow.openSpans === 0) this.#endWorkflow(sdkSpan.traceId);
    } catch (error) {
      reportInstrumentationError(SPAN_END, error);
    }
  }

  /**
   * Whether code running in an SDK context may nest under a span of ours: not in a run that
   * records no spans (so that the OpenTelemetry context is left as it is there). A run not
   * seen yet (its trace starts inside the context) may.
   */
  follows(store: unknown): boolean {
    if (typeof store !== 'object' || store === null) return false;
    const sdkTrace = (store as SdkContextStore).trace;
    if (!sdkTrace) return true;
    return this.#workflows.get(sdkTrace.traceId)?.recording ?? true;
  }

  /**
   * The span code running in an SDK context nests under: that of the SDK's current span, else
   * of its trace. A span the SDK has started whose start has not reached our processor yet
   * (processors before ours are awaited first) is started here.
   */
  spanOf(store: unknown): Span | undefined {
    if (typeof store !== 'object' || store === null) return undefined;
    const { span, trace: sdkTrace } = store as SdkContextStore;
    if (span !== undefined && span !== null) {
      const known = this.#spans.get(span.spanId);
      if (known !== undefined) return known.nearest;
      if (span.startedAt === null || span.endedAt !== null || !this.host.enabled()) return undefined;
      return this.#start(span)?.nearest;
    }
    return sdkTrace ? this.#workflows.get(sdkTrace.traceId)?.span : undefined;
  }

  #endWorkflow(traceId: string): void {
    const workflow = this.#workflows.get(traceId);
    if (workflow === undefined) return;
    this.#workflows.delete(traceId);
    // Spans the SDK never ended (a failed run's): forgotten with their run.
    if (workflow.openSpans > 0) {
      for (const [id, record] of this.#spans) if (record.workflow === workflow) this.#spans.delete(id);
    }
    const seconds = secondsSince(workflow.startMillis);
    if (workflow.span !== undefined) {
      if (workflow.errorType !== undefined) failed(workflow.span, workflow.errorType);
      workflow.span.end();
    }
    const instruments = this.host.instruments();
    instruments.workflowDuration.record(seconds, workflowSets.get(workflowNames.admit(workflow.name), workflow.errorType));
    instruments.operationDuration.record(seconds, operationAttributes(GenAiOperationName.INVOKE_WORKFLOW, undefined, workflow.errorType));
  }

  #newWorkflow(sdkTrace: SdkTrace | undefined, base: Context): WorkflowRecord {
    const name = sdkTrace !== undefined && sdkTrace.name !== DEFAULT_WORKFLOW_NAME && sdkTrace.name !== '' ? sdkTrace.name : undefined;
    const conversationId = sdkTrace?.groupId ?? undefined;
    let span: Span | undefined;
    if (sdkTrace !== undefined && (!this.host.config().requireParentSpan || trace.getSpan(base) !== undefined)) {
      const named = workflowSpanSets.get(name);
      const attributes = conversationId === undefined ? named : { ...named, [ATTR_GEN_AI_CONVERSATION_ID]: conversationId };
      span = this.#startSpan(name === undefined ? GenAiOperationName.INVOKE_WORKFLOW : workflowSpanNames.get(name), attributes, base);
      // No tracer provider (the API's no-op tracer, no parent): nothing of the run would be
      // recorded or propagated, so none of its spans is started. A span sampled out has a valid
      // context, which its children and the code run under it must carry: it is kept.
      if (span !== undefined && !span.isRecording() && !isSpanContextValid(span.spanContext())) span = undefined;
    }
    return {
      name,
      conversationId,
      recording: span !== undefined,
      span,
      context: span ? trace.setSpan(base, span) : base,
      startMillis: monotonicMillis(),
      errorType: undefined,
      transfers: new Map(),
      openSpans: 0,
    };
  }

  #workflowOf(traceId: string): WorkflowRecord {
    let workflow = this.#workflows.get(traceId);
    if (workflow === undefined) {
      // A run that began before we were attached: its spans are recorded without a workflow span.
      workflow = this.#newWorkflow(undefined, ROOT_CONTEXT);
      this.#workflows.set(traceId, workflow);
    }
    return workflow;
  }

  /** The record of a span's parent, starting a parent whose start has not reached us yet. */
  #parentOf(sdkSpan: SdkSpan): SpanRecord | undefined {
    const parentId = sdkSpan.parentId;
    if (parentId === null || parentId === undefined) return undefined;
    const known = this.#spans.get(parentId);
    if (known !== undefined) return known;
    let candidate = sdkSpan.previousSpan;
    for (let depth = 0; candidate !== undefined && depth < PARENT_SEARCH_DEPTH; depth += 1, candidate = candidate.previousSpan) {
      if (candidate.spanId === parentId) return candidate.endedAt === null ? this.#start(candidate) : undefined;
    }
    return undefined;
  }

  #start(sdkSpan: SdkSpan): SpanRecord | undefined {
    const existing = this.#spans.get(sdkSpan.spanId);
    if (existing !== undefined) return existing;
    const workflow = this.#workflowOf(sdkSpan.traceId);
    const parent = this.#parentOf(sdkSpan);
    const parentContext = parent?.context ?? workflow.context;
    const inherited = parent?.nearest ?? workflow.span;
    const data = sdkSpan.spanData;
    let span: Span | undefined;
    let isAgent = false;
    switch (data.type) {
      case 'agent': {
        isAgent = true;
        const name = data.name ?? '';
        const transfer = workflow.transfers.get(name);
        if (transfer !== undefined) workflow.transfers.delete(name);
        if (workflow.recording) {
          const named = agentSpanSets.get(name);
          const attributes = workflow.conversationId === undefined ? named : { ...named, [ATTR_GEN_AI_CONVERSATION_ID]: workflow.conversationId };
          span = this.#startSpan(agentSpanNames.get(name), attributes, parentContext, workflow, transfer && [{ context: transfer }]);
        }
        this.host.instruments().activeInvocations.add(1, agentAttributes(name));
        break;
      }
      case 'function': {
        const name = data.name ?? '';
        span = this.#startSpan(name === '' ? GenAiOperationName.EXECUTE_TOOL : toolSpanNames.get(name), toolSpanSets.get(name), parentContext, workflow);
        break;
      }
      case 'generation':
      case 'response':
        span = this.#startSpan(GenAiOperationName.CHAT, CHAT_SPAN_ATTRIBUTES, parentContext, workflow);
        break;
      case 'handoff':
        span = this.#startSpan(GenAiOperationName.EXECUTE_TOOL, handoffSpanSets.get(data.from_agent), parentContext, workflow);
        break;
      default:
        // Turns, tasks, guardrails and custom spans have no span of their own in the contract.
        break;
    }
    // One shape for every record, the same fields in the same order.
    const record: SpanRecord = {
      workflow,
      type: data.type,
      span,
      nearest: span ?? inherited,
      context: span ? trace.setSpan(parentContext, span) : parentContext,
      agent: parent?.agent,
      agentName: isAgent ? (data.name ?? '') : undefined,
      startMillis: monotonicMillis(),
      requestModel: undefined,
    };
    if (isAgent) record.agent = record;
    this.#spans.set(sdkSpan.spanId, record);
    workflow.openSpans += 1;
    return record;
  }

  #end(sdkSpan: SdkSpan, record: SpanRecord): void {
    const data = sdkSpan.spanData;
    const errorType = sdkSpan.error ? OTHER_VALUE : undefined;
    const seconds = secondsSince(record.startMillis);
    const instruments = this.host.instruments();
    const span = record.span;
    switch (data.type) {
      case 'agent': {
        const name = data.name ?? '';
        if (span !== undefined && record.requestModel !== undefined) span.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, record.requestModel);
        this.#registerAgent(name, sdkSpan, record);
        if (errorType !== undefined) record.workflow.errorType ??= errorType;
        instruments.invokeAgentDuration.record(seconds, agentAttributes(name, errorType));
        instruments.operationDuration.record(seconds, operationAttributes(GenAiOperationName.INVOKE_AGENT, record.requestModel, errorType));
        instruments.activeInvocations.add(-1, agentAttributes(name));
        break;
      }
      case 'function': {
        // The SDK fills the arguments in after the span starts.
        if (span !== undefined && this.host.captureContent()) {
          if (typeof data.input === 'string') span.setAttribute(ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, data.input);
          if (typeof data.output === 'string') span.setAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, data.output);
        }
        this.#recordTool(data.name ?? '', seconds, errorType);
        break;
      }
      case 'generation':
      case 'response':
        this.#endChat(sdkSpan, record, seconds, errorType);
        break;
      case 'handoff': {
        const target = data.to_agent;
        const toolName = target === undefined ? undefined : handoffToolNames.get(target);
        if (span !== undefined && target !== undefined) {
          span.updateName(handoffSpanNames.get(target));
          span.setAttributes({ [ATTR_GEN_AI_TOOL_NAME]: toolName, [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: target });
          record.workflow.transfers.set(target, span.spanContext());
        }
        instruments.transfers.add(1, transferAttributes(agentNames.admit(data.from_agent), targetNames.admit(target)));
        this.#recordTool(toolName ?? '', seconds, errorType);
        break;
      }
      case 'guardrail': {
        const name = data.name ?? '';
        const triggered = data.triggered === true;
        record.agent?.span?.addEvent(EVENT_AGENTS_GUARDRAIL, { [ATTR_AGENTS_GUARDRAIL_NAME]: name, [ATTR_AGENTS_GUARDRAIL_TRIGGERED]: triggered });
        if (triggered) {
          const attributes: Attributes = {};
          const guardrail = guardrailNames.admit(name);
          const agent = agentNames.admit(record.agent?.agentName);
          if (guardrail !== undefined) attributes[ATTR_AGENTS_GUARDRAIL_NAME] = guardrail;
          if (agent !== undefined) attributes[ATTR_GEN_AI_AGENT_NAME] = agent;
          instruments.guardrailTriggers.add(1, attributes);
        }
        break;
      }
      default:
        break;
    }
    if (span !== undefined) {
      if (errorType !== undefined) failed(span, errorType);
      span.end();
    }
  }

  #endChat(sdkSpan: SdkSpan, record: SpanRecord, seconds: number, errorType: string | undefined): void {
    const data = sdkSpan.spanData;
    const requestModel = data.type === 'generation' ? data.model : undefined;
    const { responseModel, inputTokens, outputTokens } = modelCallAnswer(data);
    const span = record.span;
    if (requestModel !== undefined && record.agent !== undefined) record.agent.requestModel ??= requestModel;
    if (span !== undefined) {
      if (requestModel !== undefined) {
        span.updateName(chatSpanNames.get(requestModel));
        span.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, requestModel);
      }
      if (responseModel !== undefined) span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, responseModel);
      if (inputTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, inputTokens);
      if (outputTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, outputTokens);
      if (this.host.captureContent() && data.type === 'generation') {
        if (data.input !== undefined) span.setAttribute(ATTR_GEN_AI_INPUT_MESSAGES, JSON.stringify(data.input));
        if (data.output !== undefined) span.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, JSON.stringify(data.output));
      }
    }
    const instruments = this.host.instruments();
    instruments.operationDuration.record(seconds, operationAttributes(GenAiOperationName.CHAT, requestModel, errorType));
    if (inputTokens !== undefined || outputTokens !== undefined) {
      const model = models.admit(requestModel);
      if (inputTokens !== undefined) instruments.tokenUsage.record(inputTokens, inputTokenSets.get(model));
      if (outputTokens !== undefined) instruments.tokenUsage.record(outputTokens, outputTokenSets.get(model));
    }
  }

  #recordTool(toolName: string, seconds: number, errorType: string | undefined): void {
    const instruments = this.host.instruments();
    instruments.executeToolDuration.record(seconds, toolSets.get(toolNames.admit(toolName), errorType));
    instruments.operationDuration.record(seconds, operationAttributes(GenAiOperationName.EXECUTE_TOOL, undefined, errorType));
  }

  /** `agents.agent.registered`, once per agent name, with the tools and handoffs the SDK reports by the agent's end. */
  #registerAgent(name: string, sdkSpan: SdkSpan, record: SpanRecord): void {
    if (this.#registered.has(name)) return;
    this.#registered.add(name);
    emitEvent(this.host.logger(), {
      name: EVENT_AGENTS_AGENT_REGISTERED,
      severity: SeverityNumber.INFO,
      attributes: {
        [ATTR_GEN_AI_AGENT_NAME]: name,
        [ATTR_AGENTS_AGENT_TOOLS]: [...(sdkSpan.spanData.tools ?? [])],
        [ATTR_AGENTS_AGENT_HANDOFFS]: [...(sdkSpan.spanData.handoffs ?? [])],
      },
      context: record.context,
    });
  }

  #startSpan(name: string, attributes: Attributes, parent: Context, workflow?: WorkflowRecord, links?: Link[]): Span | undefined {
    if (workflow !== undefined && !workflow.recording) return undefined;
    return this.host.tracer().startSpan(name, links === undefined ? { kind: SpanKind.INTERNAL, attributes } : { kind: SpanKind.INTERNAL, attributes, links }, parent);
  }
}

// The metric attribute sets, by names already through their cardinality guard (undefined: dropped).
const nameSet = (attribute: string) => (name: string | undefined): Attributes => (name === undefined ? {} : { [attribute]: name });
const agentSets = new AttributeSets(nameSet(ATTR_GEN_AI_AGENT_NAME));
const toolSets = new AttributeSets(nameSet(ATTR_GEN_AI_TOOL_NAME));
const workflowSets = new AttributeSets(nameSet(ATTR_GEN_AI_WORKFLOW_NAME));
const operationSet = (operation: string, model: string | undefined): Attributes => ({
  [ATTR_GEN_AI_OPERATION_NAME]: operation,
  [ATTR_GEN_AI_PROVIDER_NAME]: GenAiProviderName.OPENAI,
  ...(model === undefined ? {} : { [ATTR_GEN_AI_REQUEST_MODEL]: model }),
});
const operationSets = new Map<string, AttributeSets<string | undefined>>();
const inputTokenSets = new AttributeSets((model: string | undefined) => ({ ...operationSet(GenAiOperationName.CHAT, model), [ATTR_GEN_AI_TOKEN_TYPE]: GenAiTokenType.INPUT }));
const outputTokenSets = new AttributeSets((model: string | undefined) => ({ ...operationSet(GenAiOperationName.CHAT, model), [ATTR_GEN_AI_TOKEN_TYPE]: GenAiTokenType.OUTPUT }));
// By source agent, then target: both through their guards, so as bounded as the series.
const transferSets = new Map<string | undefined, AttributeSets<string | undefined>>();

// The span start attributes and names, by the SDK's names (spans carry them as given).
const CHAT_SPAN_ATTRIBUTES: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.CHAT, [ATTR_GEN_AI_PROVIDER_NAME]: GenAiProviderName.OPENAI };
const workflowSpanSets = new AttributeSets((name: string | undefined): Attributes => ({
  [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.INVOKE_WORKFLOW,
  ...(name === undefined ? {} : { [ATTR_GEN_AI_WORKFLOW_NAME]: name }),
}));
const agentSpanSets = new AttributeSets((name: string): Attributes => ({
  [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.INVOKE_AGENT,
  [ATTR_GEN_AI_PROVIDER_NAME]: GenAiProviderName.OPENAI,
  [ATTR_GEN_AI_AGENT_NAME]: name,
}));
const toolSpanSets = new AttributeSets((name: string): Attributes => ({
  [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.EXECUTE_TOOL,
  [ATTR_GEN_AI_TOOL_NAME]: name,
  [ATTR_GEN_AI_TOOL_TYPE]: 'function',
}));
const handoffSpanSets = new AttributeSets((source: string | undefined): Attributes => ({
  [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperationName.EXECUTE_TOOL,
  [ATTR_GEN_AI_TOOL_TYPE]: 'handoff',
  [ATTR_GEN_AI_TRANSFER_TARGET_TYPE]: GenAiTransferTargetType.AGENT,
  [ATTR_GEN_AI_TRANSFER_MODE]: GenAiTransferMode.PASS_CONTROL,
  ...(source === undefined ? {} : { [ATTR_GEN_AI_AGENT_NAME]: source }),
}));
const workflowSpanNames = new DerivedStrings((name) => spanName(GenAiOperationName.INVOKE_WORKFLOW, name));
const agentSpanNames = new DerivedStrings((name) => spanName(GenAiOperationName.INVOKE_AGENT, name));
const toolSpanNames = new DerivedStrings((name) => spanName(GenAiOperationName.EXECUTE_TOOL, name));
const chatSpanNames = new DerivedStrings((model) => spanName(GenAiOperationName.CHAT, model));
const handoffToolNames = new DerivedStrings(handoffToolName);
const handoffSpanNames = new DerivedStrings((target) => `${spanName(GenAiOperationName.EXECUTE_TOOL, handoffToolName(target))} ${target}`);

function agentAttributes(name: string, errorType?: string): Attributes {
  return agentSets.get(agentNames.admit(name), errorType);
}

function operationAttributes(operation: string, model: string | undefined, errorType: string | undefined): Attributes {
  let sets = operationSets.get(operation);
  if (sets === undefined) {
    sets = new AttributeSets((admitted: string | undefined) => operationSet(operation, admitted));
    operationSets.set(operation, sets);
  }
  return sets.get(models.admit(model), errorType);
}

function transferAttributes(source: string | undefined, target: string | undefined): Attributes {
  let sets = transferSets.get(source);
  if (sets === undefined) {
    sets = new AttributeSets((admitted: string | undefined): Attributes => ({
      [ATTR_GEN_AI_TRANSFER_MODE]: GenAiTransferMode.PASS_CONTROL,
      ...(source === undefined ? {} : { [ATTR_GEN_AI_AGENT_NAME]: source }),
      ...(admitted === undefined ? {} : { [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: admitted }),
    }));
    transferSets.set(source, sets);
  }
  return sets.get(target);
}

function failed(span: Span, errorType: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * The SDK's default tool name for a handoff to `agent` (`transfer_to_<name>`): its handoff
 * span names the agents only, so a handoff given another tool name is still named so.
 */
function handoffToolName(agent: string): string {
  return `transfer_to_${agent.replace(/[^a-zA-Z0-9]/g, '_')}`;
}
