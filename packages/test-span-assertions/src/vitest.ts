import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import { expect } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { EventPattern } from './event-pattern';
import { describeSpanPattern, type SpanPattern } from './pattern';
import { matchSpan } from './span-assertion';
import type { Recorder } from './recorder';
import type { RefuteOptions } from './refute';
import type { SequenceOptions } from './span-waits';
import type { WaitOptions } from './waiter';
import type { WaitFailureReason, WaitTimeoutError } from './wait-timeout-error';

/** Typed matchers added by `@dyntel/test-span-assertions/vitest`. */
export interface SpanMatchers<R = void> {
  /**
   * `await expect(recorder).toEmitSpan(pattern)` waits for the span; with `.not`, it refutes
   * the span until `options.until` (a span pattern or promise) arrives.
   */
  toEmitSpan(pattern: SpanPattern, options?: RefuteOptions): Promise<void>;
  /** `await expect(recorder).toEmitSpanSequence([a, b], { mode, by })`. */
  toEmitSpanSequence(patterns: readonly SpanPattern[], options?: SequenceOptions): Promise<void>;
  /** `await expect(recorder).toEmitEvent(pattern)`: a span event or an event log record. */
  toEmitEvent(pattern: EventPattern, options?: WaitOptions): Promise<void>;
  /** `expect(span).toMatchSpan(pattern)`: synchronous check of one span, with a per-field diff. */
  toMatchSpan(pattern: SpanPattern): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> extends SpanMatchers<R> {}
}

interface MatcherContext {
  isNot: boolean;
}

function asRecorder(received: unknown, matcher: string): Recorder {
  if (typeof received !== 'object' || received === null || typeof (received as Recorder).waitForSpan !== 'function') {
    throw new TypeError(invalidValueMessage({ source: matcher, subject: 'recorder', value: received, expected: 'a Recorder (from installRecorder() or createRecorder())' }));
  }
  return received as Recorder;
}

/** A WaitTimeoutError for `reason`, also when it comes from another copy of this package. */
function isWaitFailure(error: unknown, reason: WaitFailureReason): error is WaitTimeoutError {
  return error instanceof Error && error.name === 'WaitTimeoutError' && (error as WaitTimeoutError).reason === reason;
}

/** Turns a wait into a matcher result: a timeout is a failed expectation, anything else is thrown. */
async function settle(wait: Promise<unknown>, describe: () => string): Promise<{ pass: boolean; message: () => string }> {
  try {
    await wait;
    return { pass: true, message: describe };
  } catch (error) {
    if (!isWaitFailure(error, 'timeout')) throw error;
    return { pass: false, message: () => error.message };
  }
}

/** The matcher implementations, for `expect.extend` in runners that do not load this entry. */
export const spanMatchers = {
  async toEmitSpan(this: MatcherContext, received: unknown, pattern: SpanPattern, options: RefuteOptions = {}) {
    const recorder = asRecorder(received, 'toEmitSpan');
    if (!this.isNot) {
      const { until: _until, ...waitOptions } = options;
      return settle(recorder.waitForSpan(pattern, waitOptions), () => `expected no span matching ${describeSpanPattern(pattern)}`);
    }
    // Negated: pass (= the span was emitted) only if the refutation fails on a recorded span.
    try {
      await recorder.refuteSpan(pattern, options);
      return { pass: false, message: () => `expected a span matching ${describeSpanPattern(pattern)}` };
    } catch (error) {
      if (isWaitFailure(error, 'refuted')) {
        return { pass: true, message: () => error.message };
      }
      throw error;
    }
  },

  async toEmitSpanSequence(this: MatcherContext, received: unknown, patterns: readonly SpanPattern[], options: SequenceOptions = {}) {
    const recorder = asRecorder(received, 'toEmitSpanSequence');
    return settle(recorder.waitForSequence(patterns, options), () => 'expected the span sequence not to be emitted');
  },

  async toEmitEvent(this: MatcherContext, received: unknown, pattern: EventPattern, options: WaitOptions = {}) {
    const recorder = asRecorder(received, 'toEmitEvent');
    return settle(recorder.waitForEvent(pattern, options), () => 'expected the event not to be emitted');
  },

  toMatchSpan(this: MatcherContext, received: unknown, pattern: SpanPattern) {
    const result = matchSpan(received as ReadableSpan, pattern);
    return {
      pass: result.ok,
      message: () =>
        `${this.isNot ? 'expected span not to match' : 'expected span to match'} ${describeSpanPattern(pattern)}\n` +
        `span ${JSON.stringify((received as ReadableSpan).name)}:\n${result.diff.replace(/^/gm, '  ')}`,
    };
  },
};

expect.extend(spanMatchers);
