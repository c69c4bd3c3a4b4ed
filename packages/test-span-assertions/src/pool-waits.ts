import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_COMPONENT_KIND,
  ATTR_ERROR_TYPE,
  ATTR_LIFECYCLE_STATE,
  ATTR_POOL_NAME,
  ComponentKind,
  EVENT_LIFECYCLE,
  LifecycleState,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_TIMEOUTS,
  SPAN_POOL_ACQUIRE,
} from '@dyntel/semconv';
import { capNameLength, invalidValueMessage, showValue, spanName } from '@dyntel/instrumentation-kit';
import { waitForDomainEvent, waitForDomainMetric, waitForDomainSpan, type DomainEventWait } from './domain-wait';
import type { RecordedEvent } from './event-pattern';
import type { MetricSnapshot } from './measurement';
import type { SpanPatternObject } from './pattern';
import type { Recorder } from './recorder';
import { absent } from './values';
import { validateComponentName } from './wait-arguments';
import type { WaitOptions } from './waiter';

/** Options of {@link waitForPoolAcquire}. */
export interface PoolAcquireWaitOptions extends WaitOptions {
  /** Only an acquire that obtained no connection (`true`: status ERROR) or one that did (`false`). */
  failed?: boolean;
  /** Only an acquire that failed with this `error.type` (e.g. `TimeoutError`). */
  errorType?: string;
}

/** Options of {@link waitForPoolTimeout}. */
export interface PoolTimeoutWaitOptions extends WaitOptions {
  /** How many timeouts the pool must have counted: 1 by default. */
  count?: number;
}

/** What {@link waitForPoolPendingRequests} waits for: that many pending requests, or a test of the count. */
export type PendingRequests = number | ((pending: number) => boolean);

const lifecycleOf = (pool: string) => ({ name: EVENT_LIFECYCLE, source: 'log', attributes: { [ATTR_COMPONENT_KIND]: ComponentKind.POOL, [ATTR_POOL_NAME]: pool } }) as const;

/** The lifecycle wait of either direction, `state` started or stopped, for the exported waits to run. */
function lifecycleWait(label: string, name: string, state: LifecycleState): DomainEventWait {
  validateComponentName(name, 'pool', label);
  // Telemetry carries a name cut to the contract's length; so does what is awaited.
  name = capNameLength(name);
  const lifecycle = lifecycleOf(name);
  const others = { ...lifecycle, attributes: { [ATTR_COMPONENT_KIND]: ComponentKind.POOL, [ATTR_POOL_NAME]: (other: unknown) => other !== name, [ATTR_LIFECYCLE_STATE]: state } };
  return {
    label,
    pattern: { name: EVENT_LIFECYCLE, attributes: { ...lifecycle.attributes, [ATTR_LIFECYCLE_STATE]: state } },
    expectation: `pool ${showValue(name)} to be ${state}`,
    related: [
      { title: `Lifecycle of pool ${showValue(name)}`, pattern: lifecycle, describe: (e) => showValue(e.attributes[ATTR_LIFECYCLE_STATE]) },
      { title: `Other pools ${state}`, pattern: others, describe: (e) => showValue(e.attributes[ATTR_POOL_NAME]) },
    ],
  };
}

/**
 * Resolves with the `resilience.lifecycle` event of pool `name` reaching `started` (component
 * kind `pool`): the pool exists and is reported. On timeout the error lists the pool's other
 * lifecycle events and other pools that started.
 */
export async function waitForPoolReady(recorder: Recorder, name: string, options?: WaitOptions): Promise<RecordedEvent> {
  // The domain wait is called from here directly, so that a timeout's stack starts at the test.
  return waitForDomainEvent(recorder, lifecycleWait('waitForPoolReady', name, LifecycleState.STARTED), options);
}

/** Resolves with the `resilience.lifecycle` event of pool `name` reaching `stopped` (drained), like {@link waitForPoolReady}. */
export async function waitForPoolStopped(recorder: Recorder, name: string, options?: WaitOptions): Promise<RecordedEvent> {
  return waitForDomainEvent(recorder, lifecycleWait('waitForPoolStopped', name, LifecycleState.STOPPED), options);
}

const describeAcquire = (span: ReadableSpan): string => {
  const type = span.attributes[ATTR_ERROR_TYPE];
  return `${showValue(span.name)}: ${type === undefined ? 'obtained a connection' : `failed with ${showValue(type)}`}`;
};

/**
 * Resolves with an ended `pool.acquire {name}` span of pool `name` (the span exists only under
 * a parent span): with `failed`, one that did or did not obtain a connection; with
 * `errorType`, one that failed with that `error.type`. On timeout the error lists the pool's
 * other acquires and, for a failure, other pools' failed acquires.
 */
export async function waitForPoolAcquire(recorder: Recorder, name: string, options: PoolAcquireWaitOptions = {}): Promise<ReadableSpan> {
  const label = 'waitForPoolAcquire';
  validateComponentName(name, 'pool', label);
  const { failed, errorType, ...waitOptions } = options;
  if (failed !== undefined && typeof failed !== 'boolean') {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'failed', value: failed, expected: 'true or false' }));
  }
  if (errorType !== undefined && (typeof errorType !== 'string' || errorType === '')) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'errorType', value: errorType, expected: 'an error.type, a non-empty string' }));
  }
  if (errorType !== undefined && failed === false) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'failed', value: failed, expected: 'true or unset with an errorType: only a failed acquire has one' }));
  }
  name = capNameLength(name);
  const acquireName = spanName(SPAN_POOL_ACQUIRE, name);
  const fails = failed === true || errorType !== undefined;
  const pattern: SpanPatternObject = !fails
    ? { name: acquireName, ...(failed === false ? { attributes: { [ATTR_ERROR_TYPE]: absent() } } : {}) }
    : { name: acquireName, status: 'error', ...(errorType === undefined ? {} : { attributes: { [ATTR_ERROR_TYPE]: errorType } }) };
  const what = errorType !== undefined ? ` that failed with ${showValue(errorType)}` : failed === true ? ' that failed' : failed === false ? ' that obtained a connection' : '';
  return waitForDomainSpan(
    recorder,
    {
      label,
      pattern,
      expectation: `an acquire from pool ${showValue(name)}${what}`,
      related: [
        { title: `Acquires from pool ${showValue(name)}`, pattern: { name: acquireName }, describe: describeAcquire },
        ...(fails
          ? [
              {
                title: 'Failed acquires from other pools',
                pattern: { name: (other: unknown) => typeof other === 'string' && other.startsWith(`${SPAN_POOL_ACQUIRE} `) && other !== acquireName, status: 'error' as const },
                describe: describeAcquire,
              },
            ]
          : []),
      ],
    },
    waitOptions,
  );
}

/**
 * Resolves with the snapshot of pool `name`'s `db.client.connection.timeouts` counter once it
 * has counted `count` (default 1) acquires that timed out, already or yet to come: this counts
 * timeouts with or without a parent span. On timeout the error gives the pool's count and other
 * pools' counts.
 */
export async function waitForPoolTimeout(recorder: Recorder, name: string, options: PoolTimeoutWaitOptions = {}): Promise<MetricSnapshot> {
  const label = 'waitForPoolTimeout';
  validateComponentName(name, 'pool', label);
  const { count = 1, ...waitOptions } = options;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'count', value: count, expected: 'a number of timeouts, an integer from 1' }));
  }
  name = capNameLength(name);
  return waitForDomainMetric(
    recorder,
    {
      label,
      name: METRIC_POOL_TIMEOUTS,
      where: { [ATTR_POOL_NAME]: name },
      satisfied: (s) => s.value >= count,
      expectation: `pool ${showValue(name)} to count ${count === 1 ? 'an acquire' : `${count} acquires`} timed out`,
    },
    waitOptions,
  );
}

/**
 * Resolves with the snapshot of pool `name`'s `db.client.connection.pending_requests` once the
 * pool reports `expected` requests waiting for a connection (or a count `expected` accepts),
 * e.g. `0`: the queue has drained. The gauge is observable: it is read when the wait starts and
 * whenever other telemetry arrives (an acquire's wait time, a span, an event). A pool that
 * reports nothing does not satisfy it, not even for 0. On timeout the error gives the last count
 * read and other pools' counts.
 */
export async function waitForPoolPendingRequests(recorder: Recorder, name: string, expected: PendingRequests, options?: WaitOptions): Promise<MetricSnapshot> {
  const label = 'waitForPoolPendingRequests';
  validateComponentName(name, 'pool', label);
  if (typeof expected !== 'function' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new TypeError(invalidValueMessage({ source: label, subject: 'pending requests', value: expected, expected: 'a count (an integer from 0) or a function of the count' }));
  }
  name = capNameLength(name);
  const accepts = typeof expected === 'function' ? expected : (pending: number) => pending === expected;
  const what = typeof expected === 'function' ? 'a pending request count the given test accepts' : expected === 0 ? 'no pending requests' : `${expected} pending requests`;
  return waitForDomainMetric(
    recorder,
    {
      label,
      name: METRIC_POOL_PENDING_REQUESTS,
      where: { [ATTR_POOL_NAME]: name },
      satisfied: (s) => s.points.length > 0 && accepts(s.value) === true,
      expectation: `pool ${showValue(name)} to have ${what}`,
    },
    options,
  );
}
