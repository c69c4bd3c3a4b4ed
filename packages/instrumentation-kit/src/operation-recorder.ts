import {
  INVALID_TRACEID,
  SpanStatusCode,
  TraceFlags,
  context as otelContext,
  trace,
  type Context,
  type Exception,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, OTHER_VALUE } from '@dyntel/semconv';
import { monotonicMillis } from './clock';
import { resolveErrorType } from './error-type';
import { reportInstrumentationError } from './guard';
import type { Operation, OperationKind } from './operation';
import type { AnyFunction } from './shim';

/** What the recorder reads from its instrumentation, live, since providers and config change. */
export interface RecorderHost {
  tracer(): Tracer;
  /** Whether operation spans start only under an existing span. */
  requireParentSpan(): boolean;
}

/**
 * Records operations the way the contract wants every one recorded: a span started with its
 * sampler-relevant attributes, the user's function run in its context, then a duration in
 * the kind's histogram with cached attribute sets (the outcome and `error.type`) and the span
 * ended with outcome, `error.type` and, when the caller got a rejection, status ERROR.
 * Nothing here ever throws into the application: faults are reported through the diagnostic
 * logger. Use `settle()` to observe the result without changing it.
 */
export class OperationRecorder {
  constructor(private readonly host: RecorderHost) {}

  /**
   * Starts an operation's span, a child of the span in `parent` (the active context unless
   * given: an operation that belongs to another one, started where that one's context is not
   * active, names it here rather than activating it around this call), and runs the kind's start hook.
   */
  begin<O extends string, Op extends Operation>(kind: OperationKind<O, Op>, operation: Op, options: SpanOptions, parent: Context = otelContext.active()): void {
    if (this.host.requireParentSpan() && trace.getSpan(parent) === undefined) return;
    const span = this.host.tracer().startSpan(operation.component.spanName, options, parent);
    operation.span = span;
    const recording = span.isRecording();
    if (recording || propagates(span, parent)) operation.context = trace.setSpan(parent, span);
    if (recording && kind.onStart !== undefined) {
      try {
        kind.onStart(span, operation);
      } catch (error) {
        reportInstrumentationError(`${kind.label} start`, error);
      }
    }
  }

  /** Runs `fn` as the operation, inside its span's context when there is one. */
  run(operation: Operation, fn: AnyFunction, thisArg: unknown, args: readonly unknown[]): unknown {
    const ctx: Context | undefined = operation.context;
    if (ctx === undefined) return Reflect.apply(fn, thisArg, args);
    // Reflect.apply as the callback, with no `this`: the context manager neither binds `fn`
    // to `thisArg` nor spreads the arguments, two allocations per call fewer.
    return otelContext.with(ctx, Reflect.apply, undefined, fn, thisArg, args);
  }

  /**
   * Ends an operation: `outcome` is what it ended as, `error` what the library saw or the
   * caller got, `rejected` whether the caller got an error (the span status is ERROR only then).
   * `endMillis` is when it ended on the monotonic clock, for operations that end at a moment
   * already read (a call that ends with its last attempt).
   */
  end<O extends string, Op extends Operation>(kind: OperationKind<O, Op>, operation: Op, outcome: O, error: unknown, rejected: boolean, endMillis = monotonicMillis()): void {
    const seconds = (endMillis - operation.startMillis) / 1000;
    const errorType = outcome === kind.successOutcome ? undefined : error === undefined ? OTHER_VALUE : resolveErrorType(error);
    if (errorType === undefined || kind.durationOnSuccessOnly !== true) {
      try {
        kind.histogram().record(seconds, operation.component.durationAttributes(kind.outcomeAttribute, outcome, errorType));
      } catch (caught) {
        reportInstrumentationError(`recording ${kind.label} duration`, caught);
      }
    }
    const span = operation.span;
    if (span === undefined) return;
    try {
      if (span.isRecording()) annotate(kind, span, operation, outcome, errorType, error, rejected);
    } catch (caught) {
      reportInstrumentationError(`ending ${kind.label} span`, caught);
    }
    span.end();
  }
}

function annotate<O extends string, Op extends Operation>(
  kind: OperationKind<O, Op>,
  span: Span,
  operation: Op,
  outcome: O,
  errorType: string | undefined,
  error: unknown,
  rejected: boolean,
): void {
  if (kind.outcomeAttribute !== undefined) span.setAttribute(kind.outcomeAttribute, outcome);
  if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
  if (rejected) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    const exception = exceptionOf(error);
    if (exception !== undefined) span.recordException(exception);
  }
  if (kind.onEnd !== undefined) {
    try {
      kind.onEnd(span, operation, outcome, error, rejected);
    } catch (caught) {
      reportInstrumentationError(`${kind.label} end`, caught);
    }
  }
}

/**
 * The exception event's content: type (code or name) and message, never the stack. Reading an
 * error's `stack` formats it, and V8 then no longer knows where it was thrown: when the same
 * error goes on to crash the process as an unhandled rejection, Node's report would lose the
 * line of the user's code it starts with. So spans carry no `exception.stacktrace`.
 */
function exceptionOf(error: unknown): Exception | undefined {
  if (typeof error === 'string') return error;
  if (!(error instanceof Error)) return undefined;
  const exception: { code?: string; name?: string; message?: string } = {};
  try {
    const code: unknown = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') exception.code = String(code);
  } catch {
    // A throwing getter costs the code only.
  }
  try {
    exception.name = String(error.name);
  } catch {
    // As above.
  }
  const message = errorMessage(error);
  if (message !== undefined) exception.message = message;
  return exception as Exception;
}

// An error whose getters throw must not cost the span: what cannot be read is left out.
function errorMessage(error: unknown): string | undefined {
  try {
    if (error instanceof Error) return String(error.message);
    return typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a non-recording span must be made active for the operation. It need not, and
 * skipping context.with() saves its cost, when the span carries no trace id (no SDK
 * registered), or when the parent is a local, non-recording, unsampled span of the same
 * trace with the same trace state: what is started inside then sees an unsampled local
 * parent of that trace either way, so samplers decide the same; only the parent span id it
 * carries differs, and neither span is exported. An unsampled root span (no parent, or a
 * remote one) is made active: what is started inside must inherit its decision rather than
 * start traces of its own or be decided as under a remote parent.
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
