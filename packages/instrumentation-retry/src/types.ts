import type { DyntelInstrumentationConfig, SpanHook } from '@dyntel/instrumentation-kit';
import type { BackoffStrategy, RetryOutcome } from '@dyntel/semconv';

/** The retry libraries this package instruments. */
export type RetryLibrary = 'p-retry' | 'async-retry' | 'promise-retry' | 'retry' | 'exponential-backoff' | 'cockatiel';

/** What {@link RetryInstrumentationConfig.retryName} is told about a retried call. */
export interface RetryNameInfo {
  library: RetryLibrary;
  /** The user's function that is retried, when the library takes one. */
  fn: unknown;
  /** The options object the call was given, if any. */
  options: unknown;
  /** The retried function's own name, when it has a real one (not `anonymous` or empty). */
  functionName: string | undefined;
}

/** What {@link RetryInstrumentationConfig.requestHook} is told when a logical retried call starts. */
export interface RetryCallInfo {
  library: RetryLibrary;
  /** The retry's name as recorded, if it has one. */
  name: string | undefined;
  /** Attempts allowed in total, the first included; undefined when unbounded or unknown. */
  maxAttempts: number | undefined;
  strategy: BackoffStrategy | undefined;
}

/** What {@link RetryInstrumentationConfig.responseHook} is told when a logical retried call ends. */
export interface RetryCallEndInfo extends RetryCallInfo {
  outcome: RetryOutcome;
  /** Attempts made, the first included. */
  attemptCount: number;
  /** The error the caller received, or the last attempt's error; undefined on success. */
  error: unknown;
  /** Whether the caller got an error. */
  rejected: boolean;
}

/** A hook that adds attributes to a `retry.call` span. It runs only for recording spans; a throw is caught and reported. */
export type RetrySpanHook<Info> = SpanHook<Info>;

/** Configuration of {@link RetryInstrumentation}. Every option is optional. */
export interface RetryInstrumentationConfig extends DyntelInstrumentationConfig {
  /**
   * Names a retried call. Return `undefined` to keep the default: the name given with
   * {@link nameRetry} (to the function or the options object), else the retried function's own
   * name. Generated-looking names (UUIDs, long hex, pure numbers) are dropped whatever their
   * source; calls without a name are still measured, without the name attribute.
   */
  retryName?: (info: RetryNameInfo) => string | undefined;
  /** Adds attributes to the `retry.call` span when the call starts. */
  requestHook?: RetrySpanHook<RetryCallInfo>;
  /** Adds attributes to the `retry.call` span when the call ends, before it is ended. */
  responseHook?: RetrySpanHook<RetryCallEndInfo>;
}
