import type { MetricPoint, MetricSnapshot } from './measurement';
import { describeMatcher, describeRecordMatcher, describeValue, type RecordMatcher } from './values';
import { WaitTimeoutError } from './wait-timeout-error';

/** The condition of a metric wait, as its explanation states it. */
export interface MetricCondition {
  /** Attribute patterns a point must match to count. */
  where?: RecordMatcher;
  /** The combined value of matching points must be at least this. */
  atLeast?: number;
  /** The combined value of matching points must be at most this. */
  atMost?: number;
  /** A free-form condition on the snapshot. */
  predicate?: (snapshot: MetricSnapshot) => boolean;
}

/**
 * How a metric wait's explanation states what was awaited: the generic wait its condition, a
 * family's wait its expectation in the domain's words (e.g. `pool "db" to have no pending
 * requests`).
 */
export type MetricWording = { condition: MetricCondition; expectation?: undefined } | { expectation: string; condition?: undefined };

/** Builds the error for a metric wait that did not complete. */
export function explainMetricWait(args: {
  /** The wait's name, which the error starts with. */
  label: string;
  name: string;
  where: RecordMatcher | undefined;
  wording: MetricWording;
  latest: MetricSnapshot;
  unmatched: readonly MetricPoint[];
  /** Collected points a wait in a test scope did not count: they carry no scope. */
  unscoped: number;
  timeoutMs: number;
  /** Names of the metrics that were recorded, for a wait on a name nothing recorded. */
  recordedNames: () => Iterable<string>;
  /** Whether the wait looked at one test scope only. */
  inTestScope: boolean;
}): WaitTimeoutError {
  const { name, where, wording, latest, unmatched } = args;
  const options = wording.condition ?? {};
  const condition = [
    options.atLeast !== undefined ? `value >= ${options.atLeast}` : '',
    options.atMost !== undefined ? `value <= ${options.atMost}` : '',
    options.predicate !== undefined ? describeMatcher(options.predicate) : '',
  ].filter(Boolean);
  const whereText = where ? ` where attributes: ${describeRecordMatcher(where)}` : '';
  const expected =
    wording.expectation === undefined
      ? `Expected metric ${JSON.stringify(name)}${whereText} to reach ${condition.join(' and ') || 'at least one matching point'}.`
      : `Expected ${wording.expectation}, i.e. metric ${JSON.stringify(name)}${whereText}.`;
  const lines = [`${args.label} timed out after ${args.timeoutMs} ms.`, '', expected, ''];
  if (latest.source === 'none') {
    const names = [...new Set(args.recordedNames())];
    lines.push(`No measurement of ${JSON.stringify(name)} was recorded${args.inTestScope ? ' in this test scope' : ''}.`);
    lines.push(names.length ? `Metrics that were recorded: ${names.sort().join(', ')}` : 'No metric was recorded at all: is the recorder installed (installRecorder(), or recorder.metricReader in your MeterProvider)?');
    if (args.unscoped > 0) {
      lines.push(
        `${args.unscoped} point(s) of ${JSON.stringify(name)} read through the metric reader were not counted: they add up the measurements of every test. ` +
          'Record through a wrapped meter provider (installRecorder(), recorder.captureGlobalMeasurements()) or wait with { scope: "all" }.',
      );
    }
  } else {
    lines.push(`Latest value ${latest.value} from ${latest.points.length} matching point(s) (${latest.source}).`);
    for (const p of latest.points.slice(0, 5)) lines.push(`  ✓ ${describeValue(p.attributes)} = ${p.value}`);
    for (const p of unmatched.slice(0, 5)) lines.push(`  ✗ ${describeValue(p.attributes)} = ${p.value} (does not match where)`);
  }
  const awaited = wording.expectation ?? (condition.join(' and ') || 'a matching point');
  return new WaitTimeoutError(lines.join('\n'), `${name}: ${awaited}`, `${name}: value ${latest.value}`);
}
