import type { Context, Span, SpanContext } from '@opentelemetry/api';

/** One workflow run: an SDK trace. */
export interface WorkflowRecord {
  /** The workflow's name when it has a real one (not the SDK's default). */
  readonly name: string | undefined;
  /** The SDK's group id, for spans only. */
  readonly conversationId: string | undefined;
  /** Whether spans are recorded for this run (`requireParentSpan` without a parent: none). */
  readonly recording: boolean;
  /** The `invoke_workflow` span; undefined for a run that started before we were attached. */
  readonly span: Span | undefined;
  /** The parent context of the run's top-level spans. */
  readonly context: Context;
  readonly startMillis: number;
  /** The error type of the first agent that failed: the run failed with it. */
  errorType: string | undefined;
  /** The transfer span of each handoff whose target has not started yet, by target agent name. */
  readonly transfers: Map<string, SpanContext>;
  /** How many of this run's spans are started and not ended yet. */
  openSpans: number;
}

/** One SDK span. */
export interface SpanRecord {
  readonly workflow: WorkflowRecord;
  /** The SDK span type (`agent`, `function`, `generation`, `handoff`, ...). */
  readonly type: string;
  /** Our span for this SDK span; undefined for types the contract does not map (`turn`, `task`) and when not recording. */
  readonly span: Span | undefined;
  /** The nearest OpenTelemetry span: ours, else an ancestor's: what code run inside this SDK span nests under. */
  readonly nearest: Span | undefined;
  /** The parent context of this SDK span's children. */
  readonly context: Context;
  /** The nearest `agent` record: itself for an agent. */
  agent: SpanRecord | undefined;
  /** For an agent: its name. */
  readonly agentName: string | undefined;
  readonly startMillis: number;
  /** For an agent: the model its first model call asked for. */
  requestModel: string | undefined;
}
