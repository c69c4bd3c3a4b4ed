/**
 * Names for GenAI agent frameworks (docs/telemetry-contract.md, "Agent frameworks").
 * `gen_ai.*` names keep the OpenTelemetry spelling, which is still in development, so that
 * following an upstream revision is a change here and nowhere else; `agents.*` names are
 * dyntel's own, for what gen_ai has no name for.
 */

/** Values of `gen_ai.operation.name`; each is also the operation of its span. */
export const GenAiOperationName = Object.freeze({
  INVOKE_WORKFLOW: 'invoke_workflow',
  INVOKE_AGENT: 'invoke_agent',
  EXECUTE_TOOL: 'execute_tool',
  CHAT: 'chat',
} as const);
/** A GenAI operation. */
export type GenAiOperationName = (typeof GenAiOperationName)[keyof typeof GenAiOperationName];

/** Values of `gen_ai.provider.name` that dyntel's agent instrumentations set. */
export const GenAiProviderName = Object.freeze({ OPENAI: 'openai' } as const);
/** A GenAI provider. */
export type GenAiProviderName = (typeof GenAiProviderName)[keyof typeof GenAiProviderName];

/** Values of `gen_ai.token.type`. */
export const GenAiTokenType = Object.freeze({ INPUT: 'input', OUTPUT: 'output' } as const);
/** A token type. */
export type GenAiTokenType = (typeof GenAiTokenType)[keyof typeof GenAiTokenType];

/** Values of `gen_ai.transfer.target.type`. */
export const GenAiTransferTargetType = Object.freeze({ AGENT: 'agent' } as const);
/** What a transfer hands over to. */
export type GenAiTransferTargetType = (typeof GenAiTransferTargetType)[keyof typeof GenAiTransferTargetType];

/** Values of `gen_ai.transfer.mode`. */
export const GenAiTransferMode = Object.freeze({
  /** A handoff: the target agent takes over the conversation. */
  PASS_CONTROL: 'pass_control',
  /** An agent used as a tool: its result returns to the calling agent. */
  RETURN_TO_CALLER: 'return_to_caller',
} as const);
/** How a transfer treats the source agent. */
export type GenAiTransferMode = (typeof GenAiTransferMode)[keyof typeof GenAiTransferMode];

/** The GenAI operation a span or duration describes: see {@link GenAiOperationName}. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** A workflow's real name from the framework; never a framework default on metrics. */
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
/** The group, thread or conversation id (spans only). */
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
/** The model provider: see {@link GenAiProviderName}. */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** The agent's name from its definition (the source agent on transfers). */
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
/** The model asked for. */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
/** The model that answered (spans only). */
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
/** The tool's name from its definition. */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The id of one tool call (spans only). */
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** The tool's type as the framework reports it (spans only). */
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
/** The arguments of one tool call (spans only, with content capture on). */
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
/** The result of one tool call (spans only, with content capture on). */
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
/** The messages sent to the model, as JSON (spans only, with content capture on). */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
/** The messages the model returned, as JSON (spans only, with content capture on). */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
/** Input tokens a model call used (spans only). */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** Output tokens a model call produced (spans only). */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** Which tokens a token usage record counts: see {@link GenAiTokenType}. */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** The name of the agent a transfer goes to. */
export const ATTR_GEN_AI_TRANSFER_TARGET_NAME = 'gen_ai.transfer.target.name';
/** What a transfer goes to: see {@link GenAiTransferTargetType}. */
export const ATTR_GEN_AI_TRANSFER_TARGET_TYPE = 'gen_ai.transfer.target.type';
/** Whether control passes or returns: see {@link GenAiTransferMode}. */
export const ATTR_GEN_AI_TRANSFER_MODE = 'gen_ai.transfer.mode';
/** The guardrail's name from its definition. */
export const ATTR_AGENTS_GUARDRAIL_NAME = 'agents.guardrail.name';
/** Whether the guardrail tripped. */
export const ATTR_AGENTS_GUARDRAIL_TRIGGERED = 'agents.guardrail.triggered';

/** The names of an agent's tools (on `agents.agent.registered`). */
export const ATTR_AGENTS_AGENT_TOOLS = 'agents.agent.tools';
/** The names of the agents an agent can hand off to (on `agents.agent.registered`). */
export const ATTR_AGENTS_AGENT_HANDOFFS = 'agents.agent.handoffs';

/** Histogram of GenAI operation durations, in seconds. */
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
/** Histogram of tokens per model call and token type. */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
/** Histogram of agent invocation durations, in seconds. */
export const METRIC_GEN_AI_INVOKE_AGENT_DURATION = 'gen_ai.invoke_agent.duration';
/** Histogram of tool execution durations, in seconds. */
export const METRIC_GEN_AI_EXECUTE_TOOL_DURATION = 'gen_ai.execute_tool.duration';
/** Histogram of workflow run durations, in seconds. */
export const METRIC_GEN_AI_WORKFLOW_DURATION = 'gen_ai.workflow.duration';
/** Counter of transfers between agents. */
export const METRIC_AGENTS_TRANSFERS = 'agents.transfers';
/** Counter of guardrails that tripped. */
export const METRIC_AGENTS_GUARDRAIL_TRIGGERS = 'agents.guardrail.triggers';
/** Up-down counter of agent invocations in progress. */
export const METRIC_AGENTS_ACTIVE_INVOCATIONS = 'agents.active_invocations';

/** A workflow run: `invoke_workflow {gen_ai.workflow.name}`. */
export const SPAN_INVOKE_WORKFLOW = GenAiOperationName.INVOKE_WORKFLOW;
/** One agent's turn: `invoke_agent {gen_ai.agent.name}`. */
export const SPAN_INVOKE_AGENT = GenAiOperationName.INVOKE_AGENT;
/** A tool call or a transfer: `execute_tool {gen_ai.tool.name}`. */
export const SPAN_EXECUTE_TOOL = GenAiOperationName.EXECUTE_TOOL;
/** A model call: `chat {gen_ai.request.model}`. */
export const SPAN_CHAT = GenAiOperationName.CHAT;

/** A guardrail ran (a span event on the agent span). */
export const EVENT_AGENTS_GUARDRAIL = 'agents.guardrail';
/** An agent definition was seen for the first time, with its capabilities. */
export const EVENT_AGENTS_AGENT_REGISTERED = 'agents.agent.registered';
