import { context as otelContext } from '@opentelemetry/api';
import { reportInstrumentationError } from '@dyntel/instrumentation-kit';
import { FollowingContext, type SpanLookup } from './following-context';
import {
  CONTEXT_STORAGE_SYMBOL,
  type AgentsCoreExports,
  type SdkContextStorage,
  type SdkSpan,
  type SdkTrace,
  type SdkTraceProvider,
  type SdkTracingProcessor,
} from './sdk-shapes';

/** What the SDK is attached to: the processor's callbacks, and the span an SDK context stands for. */
export type SdkTarget = Pick<SdkTracingProcessor, 'onTraceStart' | 'onTraceEnd' | 'onSpanStart' | 'onSpanEnd'> & SpanLookup;

/**
 * The one attachment per process, on globalThis: the SDK's provider and context storage are
 * process-global (shared by its CJS and ESM builds and every copy of it), and so are ours,
 * whichever build of this package installs them. The processor and the storage wrapper are
 * installed once and forward to the current target, which an instrumentation sets when it
 * patches the SDK and clears when it unpatches it.
 */
interface Attachment {
  target: SdkTarget | undefined;
  readonly processor: SdkTracingProcessor;
  readonly providers: WeakSet<object>;
  readonly storages: WeakSet<object>;
}

const ATTACHMENT_KEY = Symbol.for('@dyntel/instrumentation-agents/openai-attachment');
const LABEL = '@dyntel/instrumentation-agents: attaching to the OpenAI Agents SDK';

function attachment(): Attachment {
  const holder = globalThis as { [ATTACHMENT_KEY]?: Attachment };
  return (holder[ATTACHMENT_KEY] ??= newAttachment());
}

function newAttachment(): Attachment {
  const state: Attachment = {
    target: undefined,
    // Never async and never throwing: the SDK awaits each processor in turn, and a rejection
    // from ours would be logged by the SDK as the application's tracing failure.
    processor: {
      onTraceStart: (trace: SdkTrace) => {
        state.target?.onTraceStart(trace);
      },
      onTraceEnd: (trace: SdkTrace) => {
        state.target?.onTraceEnd(trace);
      },
      onSpanStart: (span: SdkSpan) => {
        state.target?.onSpanStart(span);
      },
      onSpanEnd: (span: SdkSpan) => {
        state.target?.onSpanEnd(span);
      },
      // The SDK shuts processors down when the user replaces them and at exit; the
      // OpenTelemetry providers have their own lifecycle.
      shutdown: () => undefined,
      forceFlush: () => undefined,
    },
    providers: new WeakSet(),
    storages: new WeakSet(),
  };
  return state;
}

/** Makes `target` receive the SDK's traces and spans, and the OpenTelemetry context follow the SDK's current span. */
export function attachToSdk(exports: AgentsCoreExports, target: SdkTarget): void {
  const state = attachment();
  state.target = target;
  try {
    const provider = exports.getGlobalTraceProvider();
    keepProcessor(provider, state);
    // The SDK creates its context storage on first use: reading the current trace creates it.
    exports.getCurrentTrace();
  } catch (error) {
    reportInstrumentationError(LABEL, error);
  }
  followSdkContext();
}

/** Stops forwarding to `target` (when it is the current one); the SDK runs as without us. */
export function detachFromSdk(target: SdkTarget): void {
  const state = attachment();
  if (state.target === target) state.target = undefined;
}

/**
 * Wraps the SDK's current context storage (once per storage), so that code run in an SDK
 * context (a tool's function, a model call) sees the OpenTelemetry span of the SDK's current
 * span: `setTracingContextStorage` may replace the storage, so this is checked again at every
 * trace start.
 */
export function followSdkContext(): void {
  const state = attachment();
  try {
    const storage = (globalThis as { [CONTEXT_STORAGE_SYMBOL]?: SdkContextStorage })[CONTEXT_STORAGE_SYMBOL];
    if (storage === undefined || state.storages.has(storage) || typeof storage.run !== 'function' || typeof storage.getStore !== 'function') return;
    state.storages.add(storage);
    const run = storage.run;
    storage.run = function runFollowed(this: unknown, store: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]): unknown {
      const lookup = state.target;
      if (lookup === undefined) return Reflect.apply(run, this, [store, fn, ...args]);
      let followed: FollowingContext | undefined;
      try {
        const active = otelContext.active();
        // Inside a run already followed (the SDK's runs of a span's children): that context follows this run too.
        if (!(active instanceof FollowingContext && active.isFollowing(lookup, storage)) && lookup.follows(store)) followed = new FollowingContext(lookup, storage, active);
      } catch (error) {
        reportInstrumentationError(LABEL, error);
      }
      if (followed === undefined) return Reflect.apply(run, this, [store, fn, ...args]);
      // The storage's own run as the callback, with its receiver and arguments: no closure per run.
      return otelContext.with(followed, run as (this: unknown, ...a: unknown[]) => unknown, this, store, fn, ...args);
    };
  } catch (error) {
    reportInstrumentationError(LABEL, error);
  }
}

/**
 * Registers our processor on the provider and keeps it there: `setTraceProcessors` replaces
 * every processor (`@openai/agents` itself calls it when imported), so our processor is put
 * first in every list given, once.
 */
function keepProcessor(provider: SdkTraceProvider, state: Attachment): void {
  if (state.providers.has(provider)) return;
  state.providers.add(provider);
  const setProcessors = provider.setProcessors;
  const registerProcessor = provider.registerProcessor;
  provider.setProcessors = function setProcessorsKeepingDyntel(this: unknown, processors: SdkTracingProcessor[]): void {
    const kept = Array.isArray(processors) ? [state.processor, ...processors.filter((p) => p !== state.processor)] : processors;
    return Reflect.apply(setProcessors, this, [kept]) as void;
  };
  provider.registerProcessor = function registerProcessorOnce(this: unknown, processor: SdkTracingProcessor): void {
    if (processor === state.processor) return;
    return Reflect.apply(registerProcessor, this, [processor]) as void;
  };
  Reflect.apply(registerProcessor, provider, [state.processor]);
}
