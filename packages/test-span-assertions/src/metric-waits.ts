import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { RecorderMetricReader } from './capture';
import { explainMetricWait, type MetricCondition, type MetricWording } from './explain-metric';
import type { MetricPoint, MetricSnapshot } from './measurement';
import { metricNamesIn, snapshotFromCollection, snapshotFromMeasurements } from './metric-snapshot';
import { visible } from './records';
import type { RecordMatcher } from './values';
import type { WaitCore, WaitOptions } from './waiter';

/** Options of {@link Recorder.waitForMetric}. */
export interface MetricWaitOptions extends WaitOptions, MetricCondition {}

/** What a metric wait watches for: the points that count, and when their snapshot completes it. */
export interface MetricRule {
  where?: RecordMatcher;
  /** Called with each fresh snapshot; a throw counts as not satisfied. */
  satisfied(snapshot: MetricSnapshot): boolean;
}

function satisfies(s: MetricSnapshot, options: MetricCondition): boolean {
  if (options.atLeast !== undefined && !(s.value >= options.atLeast)) return false;
  if (options.atMost !== undefined && !(s.value <= options.atMost)) return false;
  if (options.predicate !== undefined) return options.predicate(s) === true;
  return options.atLeast !== undefined || options.atMost !== undefined || s.points.length > 0;
}

/**
 * Resolves with a snapshot of metric `name` once it satisfies the condition. Synchronous
 * instruments resolve on the measurement itself; observable ones are collected through the
 * metric reader when the wait starts and whenever other telemetry arrives.
 */
export function waitForMetric(core: WaitCore, reader: RecorderMetricReader, site: Error, name: string, options: MetricWaitOptions): Promise<MetricSnapshot> {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(invalidValueMessage({ source: 'waitForMetric', subject: 'metric name', value: name, expected: 'a non-empty string' }));
  }
  for (const key of ['atLeast', 'atMost'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
      throw new TypeError(invalidValueMessage({ source: 'waitForMetric', subject: key, value: v, expected: 'a number' }));
    }
  }
  return watchMetric(core, reader, 'waitForMetric', site, name, { where: options.where, satisfied: (s) => satisfies(s, options) }, options, { condition: options });
}

/**
 * The metric wait under {@link waitForMetric} and the families' metric waits: `label` starts
 * its errors, `wording` words their explanation. Observable instruments are collected again on
 * any other telemetry, other metrics' measurements included: what moves an observed value
 * (a pool handing out a connection) usually records something else at the same moment.
 */
export function watchMetric(
  core: WaitCore,
  reader: RecorderMetricReader,
  label: string,
  site: Error,
  name: string,
  rule: MetricRule,
  options: WaitOptions,
  wording: MetricWording,
): Promise<MetricSnapshot> {
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const accepts = (s: MetricSnapshot) => {
    try {
      return rule.satisfied(s) === true;
    } catch {
      return false;
    }
  };
  const fromMeasurements = () => snapshotFromMeasurements(name, store.measurementBuffer, scope, rule.where);
  let latest: MetricSnapshot = { name, points: [], value: 0, source: 'none' };
  let unmatched: MetricPoint[] = [];
  let unscoped = 0;
  // A collection adds up the measurements of every test: inside a test scope only observable
  // instruments, which no test causes, are read from it.
  const counts = scope === undefined ? undefined : (meter: string) => store.isObservable(meter, name);

  return core.pend<MetricSnapshot>(label, site, options, (ctl) => {
    ({ snapshot: latest, unmatched } = fromMeasurements());
    if (latest.source === 'measurements' && accepts(latest)) ctl.resolve(latest);
    // Collection is asynchronous; one runs at a time and a request during it queues one more.
    let collecting = false;
    let again = false;
    const collect = () => {
      if (collecting) {
        again = true;
        return;
      }
      collecting = true;
      void reader.collectInto(store).then((collection) => {
        collecting = false;
        ctl.guard(() => {
          if (collection && latest.source !== 'measurements') {
            ({ snapshot: latest, unmatched, unscoped } = snapshotFromCollection(name, collection, rule.where, counts));
            if (latest.source === 'collection' && accepts(latest)) ctl.resolve(latest);
          }
        });
        if (again) {
          again = false;
          collect();
        }
      });
    };
    const collectUnlessMeasured = () => {
      if (latest.source !== 'measurements') collect();
    };
    collectUnlessMeasured();
    return {
      onMeasurement: (entry) => {
        if (entry.measurement.name !== name) return collectUnlessMeasured();
        if (!visible(entry, scope)) return;
        ({ snapshot: latest, unmatched } = fromMeasurements());
        if (accepts(latest)) ctl.resolve(latest);
      },
      onSpan: collectUnlessMeasured,
      onEvent: collectUnlessMeasured,
    };
  }, (timeoutMs) =>
    explainMetricWait({
      label,
      name,
      where: rule.where,
      wording,
      latest,
      unmatched,
      unscoped,
      timeoutMs,
      inTestScope: scope !== undefined,
      recordedNames: function* () {
        for (const e of store.measurementBuffer) if (visible(e, scope)) yield e.measurement.name;
        yield* metricNamesIn(store.lastCollection);
      },
    }),
  );
}
