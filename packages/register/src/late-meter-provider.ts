import type {
  Attributes,
  BatchObservableCallback,
  Context,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MeterOptions,
  MeterProvider,
  MetricOptions,
  Observable,
  ObservableCallback,
  UpDownCounter,
} from '@opentelemetry/api';

/** Sees every value a synchronous instrument of a {@link LateMeterProvider} records, attached or not. */
export type RecordedValue = (instrument: string, value: number, attributes: Attributes | undefined) => void;

type Step = (provider: MeterProvider) => void;
type Later = (step: Step) => void;

/**
 * A meter provider for SDK components that take one at construction, before the SDK's own
 * exists: the batch processors get their self-observability meter in their constructor, while
 * the NodeSDK builds its meter provider in `start()`, and the API's global meter provider has
 * no proxy that would follow. What they create and record before {@link attach} is replayed on
 * the real provider then, in the order it happened; after it, every call goes straight through.
 */
export class LateMeterProvider implements MeterProvider {
  private provider?: MeterProvider;
  private readonly steps: Step[] = [];
  private readonly later: Later = (step) => (this.provider ? step(this.provider) : this.steps.push(step));

  constructor(private readonly recorded: RecordedValue = () => {}) {}

  /** A meter that forwards to `provider.getMeter(name, version, options)` of the attached provider. */
  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    return new LateMeter(this.later, this.recorded, (provider) => provider.getMeter(name, version, options));
  }

  /** The provider to forward to, from now on; only the first one counts. */
  attach(provider: MeterProvider): void {
    if (this.provider) return;
    this.provider = provider;
    for (const step of this.steps.splice(0)) step(provider);
  }
}

/** An observable instrument standing for the real one until it exists. */
class LateObservable implements Observable {
  real?: Observable;

  constructor(private readonly later: Later) {}

  addCallback(callback: ObservableCallback): void {
    this.later(() => this.real!.addCallback(callback));
  }

  removeCallback(callback: ObservableCallback): void {
    this.later(() => this.real!.removeCallback(callback));
  }
}

const realOf = (observable: Observable): Observable => (observable instanceof LateObservable ? observable.real! : observable);

type Synchronous = Counter & UpDownCounter & Histogram & Gauge;

class LateMeter implements Meter {
  private meter?: Meter;
  // The callbacks given to the real meter, which hand it its own observables.
  private readonly batchCallbacks = new WeakMap<BatchObservableCallback, BatchObservableCallback>();

  constructor(
    private readonly later: Later,
    private readonly recorded: RecordedValue,
    create: (provider: MeterProvider) => Meter,
  ) {
    later((provider) => {
      this.meter = create(provider);
    });
  }

  createCounter(name: string, options?: MetricOptions): Counter {
    return this.synchronous(name, (meter) => meter.createCounter(name, options));
  }

  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return this.synchronous(name, (meter) => meter.createUpDownCounter(name, options));
  }

  createHistogram(name: string, options?: MetricOptions): Histogram {
    return this.synchronous(name, (meter) => meter.createHistogram(name, options));
  }

  createGauge(name: string, options?: MetricOptions): Gauge {
    return this.synchronous(name, (meter) => meter.createGauge(name, options));
  }

  createObservableGauge(name: string, options?: MetricOptions): Observable {
    return this.observable((meter) => meter.createObservableGauge(name, options));
  }

  createObservableCounter(name: string, options?: MetricOptions): Observable {
    return this.observable((meter) => meter.createObservableCounter(name, options));
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions): Observable {
    return this.observable((meter) => meter.createObservableUpDownCounter(name, options));
  }

  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    this.later(() => this.meter!.addBatchObservableCallback(this.batchCallback(callback), observables.map(realOf)));
  }

  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    this.later(() => this.meter!.removeBatchObservableCallback(this.batchCallback(callback), observables.map(realOf)));
  }

  private synchronous(name: string, create: (meter: Meter) => Partial<Synchronous>): Synchronous {
    let real: Partial<Synchronous> | undefined;
    this.later(() => {
      real = create(this.meter!);
    });
    const forward = (method: 'add' | 'record') => (value: number, attributes?: Attributes, context?: Context) => {
      this.recorded(name, value, attributes);
      this.later(() => real![method]!(value, attributes, context));
    };
    return { add: forward('add'), record: forward('record') };
  }

  private observable(create: (meter: Meter) => Observable): Observable {
    const late = new LateObservable(this.later);
    this.later(() => {
      late.real = create(this.meter!);
    });
    return late;
  }

  private batchCallback(callback: BatchObservableCallback): BatchObservableCallback {
    let real = this.batchCallbacks.get(callback);
    if (!real) {
      real = (result) => callback({ observe: (observable, value, attributes) => result.observe(realOf(observable), value, attributes) });
      this.batchCallbacks.set(callback, real);
    }
    return real;
  }
}
