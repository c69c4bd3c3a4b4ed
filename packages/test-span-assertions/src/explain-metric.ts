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

/** Builds the error for a metric wait that did not complete. */
export function explainMetricWait(args: {
  name: string;
  condition: MetricCondition;
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
  const { name, condition: options, latest, unmatched } = args;
  const condition = [
    options.atLeast !== undefined ? `value >= ${options.atLeast}` : '',
    options.atMost !== undefined ? `value <= ${options.atMost}` : '',
    options.predicate !== undefined ? describeMatcher(options.predicate) : '',
  ].filter(Boolean);
  const where = options.where ? ` where attributes: ${describeRecordMatcher(options.where)}` : '';
  const lines = [
    `waitForMetric timed out after ${args.timeoutMs} ms.`,
    '',
    `Expected metric ${JSON.stringify(name)}${where} to reach ${condition.join(' and ') || 'at least one matching point'}.`,
    '',
  ];
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
  return new WaitTimeoutError(lines.join('\n'), `${name}: ${condition.join(' and ') || 'a matching point'}`, `${name}: value ${latest.value}`);
}
