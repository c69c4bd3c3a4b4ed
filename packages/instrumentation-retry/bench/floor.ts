// What the OpenTelemetry SDK itself needs for the telemetry the contract asks of one retried
// call of `attempts` attempts (the last succeeds), made directly with the API: the call span
// and its context, an attempt span per attempt with its context (failed ones with error.type,
// status and exception event), the attempt duration per attempt, the retries counter and the
// backoff event (log record, and span event on a sampled call) per retry, and the call
// duration and attempts per call. No instrumentation that emits the contract through the SDK
// can add less: its SDK floor.
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

const noop = () => 0;

/**
 * One logical call's SDK work in `configuration`, on providers of its own, as a function of
 * the attempts the call makes (all but the last fail). Under an unsampled parent no context is
 * made active, as the instrumentation does there (see the bench-kit README).
 */
export function floorCall(configuration: SdkConfiguration, maxAttempts: number): (attempts: number) => void {
  const sdk = benchSdk(configuration);
  const meter = sdk.meterProvider.getMeter('floor');
  const seconds = { advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } };
  const callDuration = meter.createHistogram(METRIC_RETRY_CALL_DURATION, seconds);
  const attemptDuration = meter.createHistogram(METRIC_RETRY_ATTEMPT_DURATION, seconds);
  const attemptsPerCall = meter.createHistogram(METRIC_RETRY_ATTEMPTS, { advice: { explicitBucketBoundaries: [...RETRY_ATTEMPT_BUCKETS] } });
  const retries = meter.createCounter(METRIC_RETRY_RETRIES);
  const logger = sdk.loggerProvider.getLogger('floor');
  const tracer = sdk.tracerProvider?.getTracer('floor');
  const parent = configuration === 'under an unsampled parent' ? UNSAMPLED_PARENT : ROOT_CONTEXT;
  const activates = configuration === 'unsampled root' || configuration === 'sampled';
  const success: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_OUTCOME]: 'success' };
  const failedAttempt: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_ERROR_TYPE]: ERROR_TYPE };
  const succeededAttempt: Attributes = { [ATTR_RETRY_NAME]: NAME };
  const retryAttributes: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_BACKOFF_STRATEGY]: STRATEGY, [ATTR_ERROR_TYPE]: ERROR_TYPE };
  const exception = { name: ERROR_TYPE, message: 'unavailable' };

  const attempt = (number: number, failed: boolean, callContext: Context, call: Span | undefined) => {
    if (tracer !== undefined) {
      const attributes: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_ATTEMPT]: number };
      if (number > 1) attributes[ATTR_RETRY_DELAY] = 0;
      const span = tracer.startSpan(`retry.attempt ${NAME}`, { attributes }, callContext);
      if (activates) context.with(trace.setSpan(callContext, span), noop);
      if (failed && span.isRecording()) {
        span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE);
        span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
        span.recordException(exception);
      }
      span.end();
    }
    attemptDuration.record(0.001, failed ? failedAttempt : succeededAttempt);
    if (!failed) return;
    retries.add(1, retryAttributes);
    const event: Attributes = { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_ATTEMPT]: number + 1, [ATTR_RETRY_DELAY]: 0, [ATTR_RETRY_BACKOFF_STRATEGY]: STRATEGY, [ATTR_ERROR_TYPE]: ERROR_TYPE };
    if (call?.isRecording()) call.addEvent(EVENT_RETRY_BACKOFF, event);
    logger.emit({ eventName: EVENT_RETRY_BACKOFF, severityNumber: Severity.WARN, severityText: 'WARN', attributes: event, context: callContext });
  };

  return (attempts) => {
    let call: Span | undefined;
    let callContext = parent;
    if (tracer !== undefined) {
      call = tracer.startSpan(`retry.call ${NAME}`, { attributes: { [ATTR_RETRY_NAME]: NAME, [ATTR_RETRY_MAX_ATTEMPTS]: maxAttempts } }, parent);
      if (activates) callContext = trace.setSpan(parent, call);
    }
    const attemptAll = () => {
      for (let number = 1; number <= attempts; number++) attempt(number, number < attempts, callContext, call);
    };
    if (activates) context.with(callContext, attemptAll);
    else attemptAll();
    if (call !== undefined) {
      if (call.isRecording()) {
        call.setAttribute(ATTR_RETRY_OUTCOME, 'success');
        call.setAttribute(ATTR_RETRY_ATTEMPT_COUNT, attempts);
      }
      call.end();
    }
    callDuration.record(0.001, success);
    attemptsPerCall.record(attempts, success);
  };
}
