import { trace, type Context, type Span } from '@opentelemetry/api';
import { reportInstrumentationError } from '@dyntel/instrumentation-kit';

const LABEL = '@dyntel/instrumentation-agents: following the OpenAI Agents SDK context';

/** Tells which OpenTelemetry span an SDK context store stands for. */
export interface SpanLookup {
  /** The OpenTelemetry span of the store's current SDK span (or trace); undefined when none. */
  spanOf(store: unknown): Span | undefined;
  /** Whether code run in the store's context may nest under any span of ours: when not, it is not followed. */
  follows(store: unknown): boolean;
}

/** What the context reads the SDK's current store from: its context storage. */
export interface StoreSource {
  getStore(): unknown;
}

/**
 * The OpenTelemetry context inside the runs of the SDK's context storage. The SDK sets its
 * current span by mutating its store after a run has begun (a tool's function runs inside the
 * run that its `function` span is set in), and starts a run per span inside the runs of its
 * parents, so the span is looked up whenever the context is read, from the store current
 * then: every value comes from `base` with the SDK's current span put on it, and one context
 * serves a run and every run nested in it. A context derived from this one (`setValue`) is a
 * plain context of the moment.
 */
export class FollowingContext implements Context {
  #span: Span | undefined;
  #context: Context | undefined;

  constructor(
    private readonly lookup: SpanLookup,
    private readonly storage: StoreSource,
    private readonly base: Context,
  ) {}

  /** Whether this context follows `storage` through `lookup`: a run nested in it needs no context of its own. */
  isFollowing(lookup: SpanLookup, storage: StoreSource): boolean {
    return this.lookup === lookup && this.storage === storage;
  }

  getValue(key: symbol): unknown {
    return this.current().getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.current().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.current().deleteValue(key);
  }

  /** `base` with the SDK's current span on it, built again only when that span changes. */
  private current(): Context {
    let span: Span | undefined;
    // Caught here rather than through a closure: the context is read on every OpenTelemetry call.
    try {
      span = this.lookup.spanOf(this.storage.getStore());
    } catch (error) {
      reportInstrumentationError(LABEL, error);
    }
    if (span === undefined) return this.base;
    if (span !== this.#span || this.#context === undefined) {
      this.#span = span;
      this.#context = trace.setSpan(this.base, span);
    }
    return this.#context;
  }
}
