import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { RecorderMetricReader } from './capture';
import { explainMetricWait, type MetricCondition } from './explain-metric';
import type { MetricPoint, MetricSnapshot } from './measurement';
import { metricNamesIn, snapshotFromCollection, snapshotFromMeasurements } from './metric-snapshot';
import { visible } from './records';
import type { WaitCore, WaitOptions } from './waiter';

/** Options of {@link Recorder.waitForMetric}. */
export interface MetricWaitOptions extends WaitOptions, MetricCondition {}

function satisfies(s: MetricSnapshot, options: MetricWaitOptions): boolean {
  if (options.atLeast !== undefined && !(s.value >= options.atLeast)) return false;
  if (options.atMost !== undefined && !(s.value <= options.atMost)) return false;
  if (options.predicate !== undefined) {
    try {
      return options.predicate(s) === true;
    } catch {
      return false;
    }
  }
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
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const fromMeasurements = () => snapshotFromMeasurements(name, store.measurementBuffer, scope, options.where);
  let latest: MetricSnapshot = { name, points: [], value: 0, source: 'none' };
  let unmatched: MetricPoint[] = [];
  let unscoped = 0;
  // A collection adds up the measurements of every test: inside a test scope only observable
  // instruments, which no test causes, are read from it.
  const counts = scope === undefined ? undefined : (meter: string) => store.isObservable(meter, name);

  return core.pend<MetricSnapshot>('waitForMetric', site, options, (ctl) => {
    ({ snapshot: latest, unmatched } = fromMeasurements());
    if (latest.source === 'measurements' && satisfies(latest, options)) ctl.resolve(latest);
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
            ({ snapshot: latest, unmatched, unscoped } = snapshotFromCollection(name, collection, options.where, counts));
            if (latest.source === 'collection' && satisfies(latest, options)) ctl.resolve(latest);
          }
        });
        if (again) {
          again = false;
          collect();
        }
      });
    };
    if (latest.source !== 'measurements') collect();
    return {
      onMeasurement: (entry) => {
        if (entry.measurement.name !== name || !visible(entry, scope)) return;
        ({ snapshot: latest, unmatched } = fromMeasurements());
        if (satisfies(latest, options)) ctl.resolve(latest);
      },
      onSpan: () => {
        if (latest.source !== 'measurements') collect();
      },
      onEvent: () => {
        if (latest.source !== 'measurements') collect();
      },
    };
  }, (timeoutMs) =>
    explainMetricWait({
      name,
      condition: options,
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
