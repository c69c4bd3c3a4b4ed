/**
 * The parts of the OpenAI Agents SDK (`@openai/agents-core`) this instrumentation reads, as
 * structural types: the SDK is a devDependency only, and 0.8 and later agree on these shapes.
 */

/** An SDK trace: one workflow run. */
export interface SdkTrace {
  readonly traceId: string;
  readonly name: string;
  readonly groupId?: string | null;
}

/** The error the SDK records on a span: a message, never the thrown error itself. */
export interface SdkSpanError {
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

/** The data of an SDK span; which fields are set depends on `type`. */
export interface SdkSpanData {
  readonly type: string;
  readonly name?: string;
  readonly handoffs?: readonly string[];
  readonly tools?: readonly string[];
  readonly input?: unknown;
  readonly output?: unknown;
  readonly model?: string;
  readonly usage?: { readonly input_tokens?: number; readonly output_tokens?: number };
  readonly from_agent?: string;
  readonly to_agent?: string;
  readonly triggered?: boolean;
  readonly _response?: { readonly model?: string; readonly usage?: { readonly input_tokens?: number; readonly output_tokens?: number } };
}

/** An SDK span. */
export interface SdkSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  readonly spanData: SdkSpanData;
  readonly error: SdkSpanError | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly previousSpan?: SdkSpan | undefined;
}

/** The SDK's `TracingProcessor` interface. */
export interface SdkTracingProcessor {
  onTraceStart(trace: SdkTrace): Promise<void> | void;
  onTraceEnd(trace: SdkTrace): Promise<void> | void;
  onSpanStart(span: SdkSpan): Promise<void> | void;
  onSpanEnd(span: SdkSpan): Promise<void> | void;
  shutdown(timeout?: number): Promise<void> | void;
  forceFlush(): Promise<void> | void;
}

/** The SDK's process-global trace provider. */
export interface SdkTraceProvider {
  registerProcessor(processor: SdkTracingProcessor): void;
  setProcessors(processors: SdkTracingProcessor[]): void;
}

/** What the SDK keeps in its AsyncLocalStorage: the current trace and span. */
export interface SdkContextStore {
  readonly trace?: SdkTrace;
  readonly span?: SdkSpan;
}

/** The SDK's AsyncLocalStorage (Node's, or one given to `setTracingContextStorage`). */
export interface SdkContextStorage {
  run(store: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]): unknown;
  getStore(): unknown;
}

/** The exports of `@openai/agents-core` this instrumentation uses. */
export interface AgentsCoreExports {
  getGlobalTraceProvider(): SdkTraceProvider;
  getCurrentTrace(): unknown;
}

/** Where the SDK keeps the AsyncLocalStorage of its current span (0.8 and later). */
export const CONTEXT_STORAGE_SYMBOL = Symbol.for('openai.agents.core.asyncLocalStorage');
/** The trace name the SDK gives a workflow that was not named: a default, never a workflow name on metrics. */
export const DEFAULT_WORKFLOW_NAME = 'Agent workflow';
