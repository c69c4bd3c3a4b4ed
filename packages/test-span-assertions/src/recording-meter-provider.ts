import type { Attributes, Context, Meter, MeterOptions, MeterProvider, MetricOptions } from '@opentelemetry/api';
import type { InstrumentKind, RecordedMeasurement } from './measurement';

/** Where a wrapped meter provider reports what the instruments it creates do. */
export interface MeasurementSink {
  /** Every synchronous measurement, as it is recorded, with the context it was recorded in. */
  measurement(measurement: RecordedMeasurement, context: Context | undefined): void;
  /** Every observable instrument created, by meter name and instrument name. */
  observable(meter: string, name: string): void;
}

const RECORDING = Symbol.for('dyntel.test-span-assertions.recording-meter-provider');

const SYNC_INSTRUMENTS: Record<string, { kind: InstrumentKind; method: 'add' | 'record' }> = {
  createCounter: { kind: 'counter', method: 'add' },
  createUpDownCounter: { kind: 'up_down_counter', method: 'add' },
  createHistogram: { kind: 'histogram', method: 'record' },
  createGauge: { kind: 'gauge', method: 'record' },
};
const OBSERVABLE_INSTRUMENTS = new Set(['createObservableCounter', 'createObservableUpDownCounter', 'createObservableGauge']);

/**
 * Wraps a meter provider so that every synchronous measurement is also handed to `sink`,
 * synchronously, after the real instrument recorded it. The metrics SDK has no per-measurement
 * hook, and this is what lets `waitForMetric` resolve the moment a counter moves instead of
 * polling a reader. Observable instruments pass through untouched (they are collected); the
 * sink only learns their names, to tell their collected points from aggregated measurements.
 */
export function recordingMeterProvider(inner: MeterProvider, sink: MeasurementSink): MeterProvider {
  // Wrapping twice would report every measurement twice.
  if ((inner as { [RECORDING]?: true })[RECORDING]) return inner;
  const provider: MeterProvider & { [RECORDING]: true } = {
    [RECORDING]: true,
    getMeter(name: string, version?: string, options?: MeterOptions): Meter {
      return recordingMeter(inner.getMeter(name, version, options), name, sink);
    },
  };
  return provider;
}

function recordingMeter(meter: Meter, meterName: string, sink: MeasurementSink): Meter {
  return new Proxy(meter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && OBSERVABLE_INSTRUMENTS.has(property)) {
        return (instrumentName: string, options?: MetricOptions) => {
          const instrument: unknown = value.call(target, instrumentName, options);
          sink.observable(meterName, instrumentName);
          return instrument;
        };
      }
      const spec = typeof property === 'string' ? SYNC_INSTRUMENTS[property] : undefined;
      if (!spec) return value.bind(target);
      return (instrumentName: string, options?: MetricOptions) => {
        const instrument = (value as (n: string, o?: MetricOptions) => Record<string, unknown>).call(target, instrumentName, options);
        return wrapInstrument(instrument, spec, { name: instrumentName, unit: options?.unit, meter: meterName }, sink);
      };
    },
  });
}

function wrapInstrument(
  instrument: Record<string, unknown>,
  spec: { kind: InstrumentKind; method: 'add' | 'record' },
  identity: { name: string; unit: string | undefined; meter: string },
  sink: MeasurementSink,
): unknown {
  const original = instrument[spec.method] as (value: number, attributes?: Attributes, context?: Context) => void;
  return Object.assign(Object.create(instrument) as object, {
    [spec.method](value: number, attributes?: Attributes, context?: Context): void {
      original.call(instrument, value, attributes, context);
      // The SDK ignores invalid values (NaN, negative counter adds); so do waits.
      if (typeof value !== 'number' || Number.isNaN(value)) return;
      if (spec.kind === 'counter' && value < 0) return;
      sink.measurement(
        { name: identity.name, value, attributes: { ...attributes }, instrument: spec.kind, unit: identity.unit, meter: identity.meter },
        context,
      );
    },
  });
}
