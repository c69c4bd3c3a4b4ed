import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { RecorderMetricReader } from './capture';
import type { EventPattern, RecordedEvent } from './event-pattern';
import { collectEvents } from './event-waits';
import type { Wording } from './explain';
import type { MetricSnapshot } from './measurement';
import { watchMetric } from './metric-waits';
import type { SpanPattern } from './pattern';
import { waitCoreOf, type Recorder } from './recorder';
import { collectSpans } from './span-waits';
import type { RecordMatcher } from './values';
import { callSite, type WaitOptions } from './waiter';

/** A wait in a domain's words for one event: built by a family's wait function from its typed arguments. */
export interface DomainEventWait extends Wording<RecordedEvent> {
  /** The family's function name, which errors start with (`waitForBreakerState timed out after ...`). */
  label: string;
  /** The event that completes the wait. */
  pattern: EventPattern;
}

/** A wait in a domain's words for one span. */
export interface DomainSpanWait extends Wording<ReadableSpan> {
  /** The family's function name, which errors start with. */
  label: string;
  /** The span that completes the wait. */
  pattern: SpanPattern;
}

/** A wait in a domain's words for a metric value: the points it counts and when they complete it. */
export interface DomainMetricWait {
  /** The family's function name, which errors start with. */
  label: string;
  /** The metric read. */
  name: string;
  /** The points that count (e.g. one pool's). */
  where: RecordMatcher;
  /** Whether the snapshot of those points completes the wait; a throw counts as no. */
  satisfied: (snapshot: MetricSnapshot) => boolean;
  /** What was awaited, e.g. `pool "db" to have no pending requests`. */
  expectation: string;
}

/**
 * The call site of a domain wait: the frames above the family's wait function, which called
 * the helper that captures them, so the error points at the test line.
 */
function domainCallSite(helper: (...args: never[]) => unknown): Error {
  const site = callSite(helper);
  const [head, , ...callers] = (site.stack ?? '').split('\n');
  site.stack = [head, ...callers].join('\n');
  return site;
}

/**
 * Runs a family's event wait on `recorder`: resolves with the first matching event, already
 * recorded or yet to come, honouring the usual `options` (timeout, scope). A timeout fails with
 * the generic explanation worded by `wait` (its expectation, then its near-miss groups). Call it
 * directly from the family's exported wait function, so the error's stack starts at the test.
 */
export async function waitForDomainEvent(recorder: Recorder, wait: DomainEventWait, options: WaitOptions = {}): Promise<RecordedEvent> {
  const site = domainCallSite(waitForDomainEvent);
  const [event] = await collectEvents(waitCoreOf(recorder, wait.label), wait.label, site, wait.pattern, 1, options, wait);
  return event!;
}

/** Runs a family's span wait on `recorder`, like {@link waitForDomainEvent} for the first matching ended span. */
export async function waitForDomainSpan(recorder: Recorder, wait: DomainSpanWait, options: WaitOptions = {}): Promise<ReadableSpan> {
  const site = domainCallSite(waitForDomainSpan);
  const [span] = await collectSpans(waitCoreOf(recorder, wait.label), wait.label, site, wait.pattern, 1, options, wait);
  return span!;
}

/**
 * Runs a family's metric wait on `recorder`, like `recorder.waitForMetric` with the family's
 * label and expectation: synchronous instruments resolve on the measurement, observable ones are
 * collected when the wait starts and whenever other telemetry arrives.
 */
export async function waitForDomainMetric(recorder: Recorder, wait: DomainMetricWait, options: WaitOptions = {}): Promise<MetricSnapshot> {
  const site = domainCallSite(waitForDomainMetric);
  const core = waitCoreOf(recorder, wait.label);
  // The recorder's metric reader is the one that collects into its store.
  const reader = recorder.metricReader as RecorderMetricReader;
  return watchMetric(core, reader, wait.label, site, wait.name, wait, options, { expectation: wait.expectation });
}
