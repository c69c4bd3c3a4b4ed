// What the OpenTelemetry SDK itself needs for the contract's telemetry of one run of the seed
// workflow (Triage hands off to Specialist, which calls a tool): per SDK span that the contract
// maps, a span started under its parent and ended (with spans on), and at its end the durations
// (invoke_agent, execute_tool, chat, invoke_workflow as gen_ai.client.operation.duration and
// their own histograms), token usage, the transfer and the active-invocations count, with a
// clock reading at each start and end. No instrumentation can add less: its SDK floor.
//
// Measured twice: by hand inside the SDK, as a tracing processor written for this workflow
// (the SDK calls it as it calls ours), and alone, replaying one run's span starts and ends in a
// loop of its own.
import { ROOT_CONTEXT, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { BenchSdk } from '@dyntel/bench-kit';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TRANSFER_MODE,
  ATTR_GEN_AI_TRANSFER_TARGET_NAME,
  ATTR_GEN_AI_WORKFLOW_NAME,
  METRIC_AGENTS_ACTIVE_INVOCATIONS,
  METRIC_AGENTS_TRANSFERS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  METRIC_GEN_AI_WORKFLOW_DURATION,
} from '@dyntel/semconv';

/** The SDK span kinds the contract maps, as the SDK's `spanData.type` names them; a trace is `trace`. */
type Kind = 'trace' | 'agent' | 'function' | 'generation' | 'handoff';
const MAPPED = new Set<string>(['trace', 'agent', 'function', 'generation', 'handoff']);

/** An SDK span or trace as the processor sees it. */
interface SdkItem {
  spanId?: string;
  traceId?: string;
  parentId?: string | null;
  spanData?: { type: string; name?: string; to_agent?: string };
}

const operation = (name: string, model?: string): Attributes => ({
  [ATTR_GEN_AI_OPERATION_NAME]: name,
  [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
  ...(model === undefined ? {} : { [ATTR_GEN_AI_REQUEST_MODEL]: model }),
});

/** The floor's instruments and tracer on `sdk`, and the SDK calls of one mapped span's start and end. */
function floorTelemetry(sdk: BenchSdk) {
  const meter = sdk.meterProvider.getMeter('floor');
  const operationDuration = meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
  const tokenUsage = meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
  const invokeAgent = meter.createHistogram(METRIC_GEN_AI_INVOKE_AGENT_DURATION);
  const executeTool = meter.createHistogram(METRIC_GEN_AI_EXECUTE_TOOL_DURATION);
  const workflow = meter.createHistogram(METRIC_GEN_AI_WORKFLOW_DURATION);
  const transfers = meter.createCounter(METRIC_AGENTS_TRANSFERS);
  const active = meter.createUpDownCounter(METRIC_AGENTS_ACTIVE_INVOCATIONS);
  const tracer = sdk.tracerProvider?.getTracer('floor') as Tracer | undefined;
  const workflowAttributes = { [ATTR_GEN_AI_WORKFLOW_NAME]: 'support' };
  const agentAttributes = { [ATTR_GEN_AI_AGENT_NAME]: 'Specialist' };
  const toolAttributes = { [ATTR_GEN_AI_TOOL_NAME]: 'lookup_order' };
  const handoffAttributes = { [ATTR_GEN_AI_TOOL_NAME]: 'transfer_to_Specialist' };
  const transferAttributes = { [ATTR_GEN_AI_AGENT_NAME]: 'Triage', [ATTR_GEN_AI_TRANSFER_TARGET_NAME]: 'Specialist', [ATTR_GEN_AI_TRANSFER_MODE]: 'pass_control' };
  const ops = {
    trace: operation('invoke_workflow'),
    agent: operation('invoke_agent', 'scripted-model-1'),
    function: operation('execute_tool'),
    generation: operation('chat', 'scripted-model-1'),
    handoff: operation('execute_tool'),
  };
  const input = { ...ops.generation, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' };
  const output = { ...ops.generation, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' };
  return {
    start(kind: Kind, parent: Context): { span: Span | undefined; startedAt: number } {
      if (kind === 'agent') active.add(1, agentAttributes);
      const span = tracer?.startSpan(kind, { attributes: ops[kind] }, parent);
      return { span, startedAt: performance.now() };
    },
    end(kind: Kind, started: { span: Span | undefined; startedAt: number }): void {
      const seconds = (performance.now() - started.startedAt) / 1000;
      started.span?.end();
      operationDuration.record(seconds, ops[kind]);
      switch (kind) {
        case 'trace':
          workflow.record(seconds, workflowAttributes);
          break;
        case 'agent':
          invokeAgent.record(seconds, agentAttributes);
          active.add(-1, agentAttributes);
          break;
        case 'function':
          executeTool.record(seconds, toolAttributes);
          break;
        case 'generation':
          tokenUsage.record(12, input);
          tokenUsage.record(5, output);
          break;
        case 'handoff':
          executeTool.record(seconds, handoffAttributes);
          transfers.add(1, transferAttributes);
          break;
      }
    },
  };
}

const kindOf = (item: SdkItem): Kind | undefined => {
  const kind = item.spanData === undefined ? 'trace' : item.spanData.type;
  return MAPPED.has(kind) ? (kind as Kind) : undefined;
};

/** The floor by hand: a tracing processor for the seed workflow that makes the floor's SDK calls. */
export function floorProcessor(sdk: BenchSdk) {
  const floor = floorTelemetry(sdk);
  // Open items by SDK id, with the context their children start under.
  const open = new Map<string, { kind: Kind; started: ReturnType<typeof floor.start>; context: Context }>();
  const contextOf = (id: string | null | undefined, traceId: string | undefined): Context =>
    open.get(id ?? '')?.context ?? open.get(traceId ?? '')?.context ?? ROOT_CONTEXT;
  const start = (item: SdkItem, id: string, parent: Context) => {
    const kind = kindOf(item);
    if (kind === undefined) return;
    const started = floor.start(kind, parent);
    open.set(id, { kind, started, context: started.span === undefined ? parent : trace.setSpan(parent, started.span) });
  };
  const end = (id: string) => {
    const entry = open.get(id);
    if (entry === undefined) return;
    open.delete(id);
    floor.end(entry.kind, entry.started);
  };
  return {
    // Not async, as ours: the SDK awaits what a processor returns, and a promise costs a microtask.
    onTraceStart: (item: SdkItem) => start(item, item.traceId!, ROOT_CONTEXT),
    onTraceEnd: (item: SdkItem) => end(item.traceId!),
    onSpanStart: (item: SdkItem) => start(item, item.spanId!, contextOf(item.parentId, item.traceId)),
    onSpanEnd: (item: SdkItem) => end(item.spanId!),
    shutdown: () => undefined,
    forceFlush: () => undefined,
  };
}

/** One run's mapped spans, nested as the seed workflow nests them. */
const RUN: readonly [Kind, readonly Kind[]][] = [
  ['agent', ['generation', 'handoff']],
  ['agent', ['generation', 'function', 'generation']],
];

/** The floor alone: one run's SDK calls in a loop of their own. */
export function floorAlone(sdk: BenchSdk): () => void {
  const floor = floorTelemetry(sdk);
  const under = (started: { span: Span | undefined }, parent: Context) => (started.span === undefined ? parent : trace.setSpan(parent, started.span));
  return () => {
    const run = floor.start('trace', ROOT_CONTEXT);
    const runContext = under(run, ROOT_CONTEXT);
    for (const [kind, children] of RUN) {
      const agent = floor.start(kind, runContext);
      const agentContext = under(agent, runContext);
      for (const child of children) floor.end(child, floor.start(child, agentContext));
      floor.end(kind, agent);
    }
    floor.end('trace', run);
  };
}

