import {
  SpanStatusCode,
  context as otelContext,
  INVALID_TRACEID,
  TraceFlags,
  trace,
  type Context,
  type Exception,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_ERROR_TYPE, ATTR_FALLBACK_EXECUTED, CircuitBreakerOutcome, OTHER_VALUE, type CircuitBreakerState } from '@dyntel/semconv';
import { monotonicMillis, resolveErrorType, reportInstrumentationError, secondsSince } from '@dyntel/instrumentation-kit';
import type { BreakerMetrics } from './metrics';
import type { AnyFunction } from './shim';
import type { TrackedBreaker } from './tracked-breaker';
import type { CircuitBreakerInstrumentationConfig } from './types';

/**
 * One protected call in flight. The library patchers fill in what the library tells them
 * (outcome, error, fallback) while the call runs; {@link CallRecorder.end} turns it into a
 * span and a histogram measurement.
 */
export class CallRecord {
  /** The outcome the library reported; undefined until it reports a failure, timeout or rejection. */
  outcome: CircuitBreakerOutcome | undefined = undefined;
  /** The error that goes with {@link outcome}. */
  error: unknown = undefined;
  fallbackExecuted = false;
  /** Whether the library invoked the user's function (cockatiel). */
  invoked = false;
  /** Bit flags private to the library patcher that owns the call. */
  flags = 0;
  /** The arguments array the library identifies the call by in its events (opossum). */
  arguments: object | undefined = undefined;
  /** The calls started before and after this one, in the patcher's list of calls in flight (opossum). */
  older: CallRecord | undefined = undefined;
  newer: CallRecord | undefined = undefined;
  readonly startMillis = monotonicMillis();

  constructor(
    readonly breaker: object,
    readonly tracked: TrackedBreaker,
    readonly state: CircuitBreakerState,
    /** The call span, absent when spans are not wanted (requireParentSpan). */
    readonly span: Span | undefined,
    /** The context to run the call in, absent when there is nothing to propagate. */
    readonly context: Context | undefined,
  ) {}
}

/** What the recorder reads from its instrumentation, live, since providers and config can change. */
export interface CallRecorderHost {
  tracer(): Tracer;
  config(): CircuitBreakerInstrumentationConfig;
  readonly metrics: BreakerMetrics;
}

/** Starts and ends `circuit_breaker.call` spans and records the call duration histogram. */
export class CallRecorder {
  constructor(private readonly host: CallRecorderHost) {}

  /** Starts a call: its span (child of the active span) and its clock. */
  start(breaker: object, tracked: TrackedBreaker, state: CircuitBreakerState): CallRecord {
    const config = this.host.config();
    const parent = otelContext.active();
    if (config.requireParentSpan && trace.getSpan(parent) === undefined) {
      return new CallRecord(breaker, tracked, state, undefined, undefined);
    }
    const span = this.host.tracer().startSpan(tracked.spanName, tracked.spanOptions(state), parent);
    const recording = span.isRecording();
    const context = recording || propagates(span, parent) ? trace.setSpan(parent, span) : undefined;
    const record = new CallRecord(breaker, tracked, state, span, context);
    if (recording && config.callHook) {
      // try/catch rather than safely(): no closure per call.
      try {
        config.callHook(span, { library: tracked.library, breaker, name: tracked.label.spanAttribute, state });
      } catch (error) {
        reportInstrumentationError('circuit breaker callHook', error);
      }
    }
    return record;
  }

  /** Runs `fn` as the call, inside the call span's context when there is one. */
  run(record: CallRecord, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    if (record.context === undefined) return Reflect.apply(fn, thisArg, args);
    // Reflect.apply as the callback, with no `this`: the context manager neither binds `fn`
    // to `thisArg` nor spreads the call's arguments, two allocations per call fewer.
    return otelContext.with(record.context, Reflect.apply, undefined, fn, thisArg, args);
  }

  /**
   * Ends a call: `outcome` is what it ended as, `error` what the breaker saw or the caller got,
   * `rejected` whether the caller's promise rejected (the span status is ERROR only then).
   */
  end(record: CallRecord, outcome: CircuitBreakerOutcome, error: unknown, rejected: boolean): void {
    const seconds = secondsSince(record.startMillis);
    const errorType =
      outcome === CircuitBreakerOutcome.SUCCESS ? undefined : error === undefined ? OTHER_VALUE : resolveErrorType(error);
    try {
      this.host.metrics.recordCall(record.tracked, outcome, errorType, seconds);
    } catch (error) {
      reportInstrumentationError('recording circuit breaker call duration', error);
    }
    const span = record.span;
    if (span === undefined) return;
    if (span.isRecording()) {
      span.setAttribute(ATTR_CIRCUIT_BREAKER_OUTCOME, outcome);
      span.setAttribute(ATTR_FALLBACK_EXECUTED, record.fallbackExecuted);
      if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
      if (rejected) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        if (error instanceof Error || typeof error === 'string') span.recordException(error as Exception);
      }
      const hook = this.host.config().responseHook;
      if (hook) {
        try {
          hook(span, {
            library: record.tracked.library,
            breaker: record.breaker,
            name: record.tracked.label.spanAttribute,
            state: record.state,
            outcome,
            fallbackExecuted: record.fallbackExecuted,
            error,
            rejected,
          });
        } catch (caught) {
          reportInstrumentationError('circuit breaker responseHook', caught);
        }
      }
    }
    span.end();
  }
}

/**
 * Whether a non-recording call span must be made active for the call. It need not, and
 * skipping context.with() saves its cost, when the span carries no trace id (no SDK
 * registered), or when the parent is a local, non-recording, unsampled span of the same trace
 * with the same trace state: what is started inside then sees an unsampled local parent of
 * that trace either way, so samplers decide the same; only the parent span id it carries
 * (in spans, trace headers, log records) differs, and neither span is exported. An unsampled
 * root span (no parent, or a remote one) is made active: what is started inside must inherit
 * its decision rather than start traces of its own or be decided as under a remote parent.
 */
function propagates(span: Span, parent: Context): boolean {
  const spanContext = span.spanContext();
  if (spanContext.traceId === INVALID_TRACEID) return false;
  const parentSpan = trace.getSpan(parent);
  if (parentSpan === undefined || parentSpan.isRecording()) return true;
  const parentContext = parentSpan.spanContext();
  return (
    parentContext.isRemote === true ||
    parentContext.traceId !== spanContext.traceId ||
    parentContext.traceState !== spanContext.traceState ||
    ((parentContext.traceFlags | spanContext.traceFlags) & TraceFlags.SAMPLED) !== 0
  );
}

function errorMessage(error: unknown): string | undefined {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : undefined;
}
