// What the OpenTelemetry SDK itself needs for the telemetry the contract asks of one retried
// call of `attempts` attempts (the last succeeds), made directly with the API: the call span
// and its context, an attempt span per attempt with its context (failed ones with error.type,
// status and exception event), the attempt duration per attempt, the retries counter and the
// backoff event (log record, and span event on a sampled call) per retry, and the call
// duration and attempts per call, with the clock readings the durations need. No
// instrumentation that emits the contract through the SDK can add less: its SDK floor.
//
// It is measured twice: alone, in a loop of its own, and by hand inside the library (around the
// library's call and in the user's function), where the same SDK calls run interleaved with the
// library's code, as any instrumentation's do, and cost more than in a loop of their own.
import { ROOT_CONTEXT, SpanStatusCode, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { UNSAMPLED_PARENT, benchSdk, type SdkConfiguration } from '@dyntel/bench-kit';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_BACKOFF_STRATEGY,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_MAX_ATTEMPTS,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  DURATION_BUCKETS_SECONDS,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_ATTEMPT_DURATION,
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_CALL_DURATION,
  METRIC_RETRY_RETRIES,
  RETRY_ATTEMPT_BUCKETS,
  Severity,
} from '@dyntel/semconv';

/** The retry name every bench call carries. */
export const NAME = 'bench';
const ERROR_TYPE = 'Unavailable';
const STRATEGY = 'constant';
const MAX_ATTEMPTS = 3;

const noop = () => 0;

/** A call in flight: its span, the context its attempts start under, when it started. */
interface FloorCall {
  span: Span | undefined;
  context: Context;
  start: number;
  attempts: number;
}

/** An attempt in flight. */
interface FloorAttempt {
  span: Span | undefined;
  context: Context | undefined;
  start: number;
}

/** The floor's telemetry in `configuration`, on providers of its own. */
class FloorTelemetry {
  readonly #callDuration;
  readonly #attemptDuration;
  readonly #attemptsPerCall;
  readonly #retries;
  readonly #logger;
  readonly #tracer;
  readonly #parent: Context;
  /** Whether spans are made active: not under an unsampled parent (see the bench-kit README). */
  readonly activates: boolean;
  readonly #success: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_OUTCOME]: 'success' };
  readonly #failedAttempt: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_ERROR_TYPE]: ERROR_TYPE };
  readonly #succeededAttempt: Attributes = { [ATTR_RETRY_NAME]: NAME };
  readonly #retryAttributes: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_BACKOFF_STRATEGY]: STRATEGY, [ATTR_ERROR_TYPE]: ERROR_TYPE };
  readonly #exception = { name: ERROR_TYPE, message: 'unavailable' };

  constructor(configuration: SdkConfiguration) {
    const sdk = benchSdk(configuration);
    const meter = sdk.meterProvider.getMeter('floor');
    const seconds = { advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } };
    this.#callDuration = meter.createHistogram(METRIC_RETRY_CALL_DURATION, seconds);
    this.#attemptDuration = meter.createHistogram(METRIC_RETRY_ATTEMPT_DURATION, seconds);
    this.#attemptsPerCall = meter.createHistogram(METRIC_RETRY_ATTEMPTS, { advice: { explicitBucketBoundaries: [...RETRY_ATTEMPT_BUCKETS] } });
    this.#retries = meter.createCounter(METRIC_RETRY_RETRIES);
    this.#logger = sdk.loggerProvider.getLogger('floor');
    this.#tracer = sdk.tracerProvider?.getTracer('floor');
    this.#parent = configuration === 'under an unsampled parent' ? UNSAMPLED_PARENT : ROOT_CONTEXT;
    this.activates = configuration === 'unsampled root' || configuration === 'sampled';
  }

  beginCall(): FloorCall {
    const start = performance.now();
    if (this.#tracer === undefined) return { span: undefined, context: this.#parent, start, attempts: 0 };
    const span = this.#tracer.startSpan(`retry.call ${NAME}`, { attributes: { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_MAX_ATTEMPTS]: MAX_ATTEMPTS } }, this.#parent);
    return { span, context: this.activates ? trace.setSpan(this.#parent, span) : this.#parent, start, attempts: 0 };
  }

  beginAttempt(call: FloorCall): FloorAttempt {
    const number = (call.attempts += 1);
    const start = performance.now();
    if (this.#tracer === undefined) return { span: undefined, context: undefined, start };
    const attributes: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_ATTEMPT]: number };
    if (number > 1) attributes[ATTR_RETRY_DELAY] = 0;
    const span = this.#tracer.startSpan(`retry.attempt ${NAME}`, { attributes }, call.context);
    return { span, context: this.activates ? trace.setSpan(call.context, span) : undefined, start };
  }

  /** Ends an attempt; a failed one is followed by a retry (the scenarios' last attempt succeeds). */
  endAttempt(call: FloorCall, attempt: FloorAttempt, failed: boolean): void {
    const span = attempt.span;
    if (span !== undefined) {
      if (failed && span.isRecording()) {
        span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE);
        span.setStatus({ code: SpanStatusCode.ERROR, message: this.#exception.message });
        span.recordException(this.#exception);
      }
      span.end();
    }
    this.#attemptDuration.record((performance.now() - attempt.start) / 1000, failed ? this.#failedAttempt : this.#succeededAttempt);
    if (!failed) return;
    this.#retries.add(1, this.#retryAttributes);
    const event: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_ATTEMPT]: call.attempts + 1, [ATTR_RETRY_DELAY]: 0, [ATTR_RETRY_BACKOFF_STRATEGY]: STRATEGY, [ATTR_ERROR_TYPE]: ERROR_TYPE };
    if (call.span?.isRecording()) call.span.addEvent(EVENT_RETRY_BACKOFF, event);
    this.#logger.emit({ eventName: EVENT_RETRY_BACKOFF, severityNumber: Severity.WARN, severityText: 'WARN', attributes: event, context: call.context });
  }

  endCall(call: FloorCall): void {
    const span = call.span;
    if (span !== undefined) {
      if (span.isRecording()) {
        span.setAttribute(ATTR_RETRY_OUTCOME, 'success');
        span.setAttribute(ATTR_RETRY_ATTEMPT_COUNT, call.attempts);
      }
      span.end();
    }
    this.#callDuration.record((performance.now() - call.start) / 1000, this.#success);
    this.#attemptsPerCall.record(call.attempts, this.#success);
  }
}

/** The floor alone: one logical call's SDK work as a function of the attempts it makes (all but the last fail). */
export function floorCall(configuration: SdkConfiguration): (attempts: number) => void {
  const floor = new FloorTelemetry(configuration);
  return (attempts) => {
    const call = floor.beginCall();
    const attemptAll = () => {
      for (let number = 1; number <= attempts; number++) {
        const attempt = floor.beginAttempt(call);
        if (attempt.context !== undefined) context.with(attempt.context, noop);
        floor.endAttempt(call, attempt, number < attempts);
      }
    };
    if (floor.activates) context.with(call.context, attemptAll);
    else attemptAll();
    floor.endCall(call);
  };
}

/**
 * The floor by hand inside the library: `run` is one call into the library with a user
 * function; the call's telemetry begins around it, and each attempt's in the function the
 * library calls, which runs the user's in the attempt's context and observes its promise
 * through one side branch. The call ends with its successful attempt, as in the scenarios.
 */
export function floorInLibrary(configuration: SdkConfiguration): (run: (user: () => Promise<unknown>) => Promise<unknown>, user: () => Promise<unknown>) => Promise<unknown> {
  const floor = new FloorTelemetry(configuration);
  return (run, user) => {
    const call = floor.beginCall();
    const attempted = () => {
      const attempt = floor.beginAttempt(call);
      const promise = attempt.context === undefined ? user() : context.with(attempt.context, user);
      promise.then(
        () => {
          floor.endAttempt(call, attempt, false);
          floor.endCall(call);
        },
        () => floor.endAttempt(call, attempt, true),
      );
      return promise;
    };
    return floor.activates ? context.with(call.context, run, undefined, attempted) : run(attempted);
  };
}
