import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_DELAY,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  EVENT_RETRY_BACKOFF,
  RetryOutcome,
  SPAN_RETRY_ATTEMPT,
  SPAN_RETRY_CALL,
} from '@dyntel/semconv';
import { capNameLength, invalidValueMessage, spanName } from '@dyntel/instrumentation-kit';
import { waitForDomainEvent, waitForDomainSpan } from './domain-wait';
import type { RecordedEvent } from './event-pattern';
import type { Recorder } from './recorder';
import { validateComponentName, validateMember } from './wait-arguments';
import type { WaitOptions } from './waiter';

/** Options of {@link waitForRetryCall}. */
export interface RetryCallWaitOptions extends WaitOptions {
  /** Only a call that ended with this outcome. */
  outcome?: RetryOutcome;
}

/** Options of {@link waitForRetryBackoff}. */
export interface RetryBackoffWaitOptions extends WaitOptions {
  /** Only the wait before this attempt (the second attempt follows the first wait). */
  attempt?: number;
}

function validateAttempt(attempt: unknown, label: string): asserts attempt is number {
  if (!Number.isSafeInteger(attempt) || (attempt as number) < 1) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'attempt', value: attempt, expected: 'an attempt number, an integer from 1' }));
  }
}

/** The error type in near-miss lines, or what stands for none. */
function errorOf(item: { attributes: Record<string, unknown> }, none: string): string {
  const type = item.attributes[ATTR_ERROR_TYPE];
  return type === undefined ? none : String(type);
}

const describeCall = (span: ReadableSpan): string =>
  `${JSON.stringify(span.name)}: outcome ${String(span.attributes[ATTR_RETRY_OUTCOME])} after ${String(span.attributes[ATTR_RETRY_ATTEMPT_COUNT] ?? '?')} attempts`;

const describeAttempt = (span: ReadableSpan): string => `${JSON.stringify(span.name)}: attempt ${String(span.attributes[ATTR_RETRY_ATTEMPT])} (${errorOf(span, 'no error')})`;

const describeBackoff = (event: RecordedEvent): string => {
  const delay = event.attributes[ATTR_RETRY_DELAY];
  return `${JSON.stringify(event.attributes[ATTR_RETRY_NAME] ?? null)}: before attempt ${String(event.attributes[ATTR_RETRY_ATTEMPT])}${delay === undefined ? '' : `, ${String(delay)} s`} (${errorOf(event, 'no error')})`;
};

/**
 * Resolves with the ended `retry.call {name}` span of retry `name` (with `outcome`, if given:
 * `exhausted` once its attempts are used up), already recorded or yet to come. On timeout the
 * error lists the retry's other calls and, with an outcome, other retries' calls that ended
 * with it.
 */
export async function waitForRetryCall(recorder: Recorder, name: string, options: RetryCallWaitOptions = {}): Promise<ReadableSpan> {
  const label = 'waitForRetryCall';
  validateComponentName(name, 'retry', label);
  const { outcome, ...waitOptions } = options;
  if (outcome !== undefined) validateMember(outcome, RetryOutcome, 'outcome', label);
  // Telemetry carries a name cut to the contract's length; so does what is awaited.
  name = capNameLength(name);
  const callName = spanName(SPAN_RETRY_CALL, name);
  return waitForDomainSpan(
    recorder,
    {
      label,
      pattern: outcome === undefined ? { name: callName } : { name: callName, attributes: { [ATTR_RETRY_OUTCOME]: outcome } },
      expectation: `a call of retry ${JSON.stringify(name)}${outcome === undefined ? '' : ` with outcome ${outcome}`}`,
      related: [
        { title: `Calls of retry ${JSON.stringify(name)}`, pattern: { name: callName }, describe: describeCall },
        ...(outcome === undefined
          ? []
          : [
              {
                title: `Calls of other retries with outcome ${outcome}`,
                // Only retry calls carry a retry outcome.
                pattern: { name: (other: unknown) => other !== callName, attributes: { [ATTR_RETRY_OUTCOME]: outcome } },
                describe: describeCall,
              },
            ]),
      ],
    },
    waitOptions,
  );
}

/**
 * Resolves with the `resilience.retry.backoff` event of retry `name` (before attempt `attempt`,
 * if given), already recorded or yet to come. The event comes before the wait: under fake timers
 * it is the signal to advance the clock by its `resilience.retry.delay` (seconds). On timeout
 * the error lists the retry's other backoffs and other retries' backoffs.
 */
export async function waitForRetryBackoff(recorder: Recorder, name: string, options: RetryBackoffWaitOptions = {}): Promise<RecordedEvent> {
  const label = 'waitForRetryBackoff';
  validateComponentName(name, 'retry', label);
  const { attempt, ...waitOptions } = options;
  if (attempt !== undefined) validateAttempt(attempt, label);
  name = capNameLength(name);
  // Each backoff is a log record (plus a span event on the call): near misses come from the log
  // records so that each backoff appears once.
  const backoffs = { name: EVENT_RETRY_BACKOFF, source: 'log' } as const;
  return waitForDomainEvent(
    recorder,
    {
      label,
      pattern: { ...backoffs, attributes: attempt === undefined ? { [ATTR_RETRY_NAME]: name } : { [ATTR_RETRY_NAME]: name, [ATTR_RETRY_ATTEMPT]: attempt } },
      expectation: `retry ${JSON.stringify(name)} to back off${attempt === undefined ? '' : ` before attempt ${attempt}`}`,
      related: [
        { title: `Backoffs of retry ${JSON.stringify(name)}`, pattern: { ...backoffs, attributes: { [ATTR_RETRY_NAME]: name } }, describe: describeBackoff },
        { title: 'Backoffs of other retries', pattern: { ...backoffs, attributes: { [ATTR_RETRY_NAME]: (other: unknown) => other !== name } }, describe: describeBackoff },
      ],
    },
    waitOptions,
  );
}

/**
 * Resolves with the ended `retry.attempt {name}` span of attempt number `attempt` (from 1) of
 * retry `name`, already recorded or yet to come. On timeout the error lists the retry's other
 * attempts and other retries' attempts with that number.
 */
export async function waitForRetryAttempt(recorder: Recorder, name: string, attempt: number, options?: WaitOptions): Promise<ReadableSpan> {
  const label = 'waitForRetryAttempt';
  validateComponentName(name, 'retry', label);
  validateAttempt(attempt, label);
  name = capNameLength(name);
  const attemptName = spanName(SPAN_RETRY_ATTEMPT, name);
  return waitForDomainSpan(
    recorder,
    {
      label,
      pattern: { name: attemptName, attributes: { [ATTR_RETRY_ATTEMPT]: attempt } },
      expectation: `attempt ${attempt} of retry ${JSON.stringify(name)}`,
      related: [
        { title: `Attempts of retry ${JSON.stringify(name)}`, pattern: { name: attemptName }, describe: describeAttempt },
        {
          title: `Attempt ${attempt} of other retries`,
          // Only attempt spans carry an attempt number.
          pattern: { name: (other: unknown) => other !== attemptName, attributes: { [ATTR_RETRY_ATTEMPT]: attempt } },
          describe: describeAttempt,
        },
      ],
    },
    options,
  );
}
