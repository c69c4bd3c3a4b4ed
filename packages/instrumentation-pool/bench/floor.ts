// What the OpenTelemetry SDK itself needs for the telemetry the contract asks of one acquire and
// release of a pooled resource, made directly with the API: the wait time and the use time, each
// a histogram record with the pool's name, the three clock readings they need (the acquire's
// start, the resource obtained, its release), and, when a parent span exists, the
// `pool.acquire {pool}` span (INTERNAL, with the name), made active around the library's acquire
// when it is recording. Nothing else per operation: connection counts, max, min and pending
// requests are observable instruments read at collection. No instrumentation that emits the
// contract through the SDK can add less: its SDK floor.
//
// It is measured twice: alone, in a loop of its own, and by hand inside the library (around the
// library's acquire and before its release, in the application's own code), where the same SDK
// calls run interleaved with the library's code, as any instrumentation's do.
import { SpanKind, context, trace, type Attributes, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { benchSdk, type BenchSdk, type SdkConfiguration } from '@dyntel/bench-kit';
import { ATTR_POOL_NAME, DURATION_BUCKETS_SECONDS, METRIC_POOL_USE_TIME, METRIC_POOL_WAIT_TIME, SPAN_POOL_ACQUIRE } from '@dyntel/semconv';
import type { BenchPool } from './pools.ts';

/** The pool name every bench pool carries. */
export const NAME = 'bench';

const noop = () => 0;

/** The floor's telemetry in `configuration`, on providers of its own. */
class FloorTelemetry {
  readonly sdk: BenchSdk;
  readonly #waitTime;
  readonly #useTime;
  readonly #tracer: Tracer | undefined;
  readonly #attributes: Attributes = { [ATTR_POOL_NAME]: NAME };
  readonly #spanOptions: SpanOptions = { kind: SpanKind.INTERNAL, attributes: { [ATTR_POOL_NAME]: NAME } };
  readonly #spanName = `${SPAN_POOL_ACQUIRE} ${NAME}`;
  /** Whether the span is made active: when it records (an unsampled child need not be, see the bench-kit README). */
  readonly activates: boolean;

  constructor(configuration: SdkConfiguration) {
    this.sdk = benchSdk(configuration);
    const meter = this.sdk.meterProvider.getMeter('floor');
    const seconds = { unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } };
    this.#waitTime = meter.createHistogram(METRIC_POOL_WAIT_TIME, seconds);
    this.#useTime = meter.createHistogram(METRIC_POOL_USE_TIME, seconds);
    this.#tracer = this.sdk.tracerProvider?.getTracer('floor');
    this.activates = configuration === 'sampled';
  }

  /** The acquire's span, under the active span when there is one. */
  span(parent: Context): Span | undefined {
    if (this.#tracer === undefined || trace.getSpan(parent) === undefined) return undefined;
    return this.#tracer.startSpan(this.#spanName, this.#spanOptions, parent);
  }

  acquired(start: number, span: Span | undefined): number {
    const now = performance.now();
    this.#waitTime.record((now - start) / 1000, this.#attributes);
    span?.end();
    return now;
  }

  released(acquired: number): void {
    this.#useTime.record((performance.now() - acquired) / 1000, this.#attributes);
  }
}

/** The floor alone: one acquire and release's SDK work, with nothing in between. */
export function floorCycle(configuration: SdkConfiguration): { cycle: () => void; sdk: BenchSdk } {
  const floor = new FloorTelemetry(configuration);
  return {
    sdk: floor.sdk,
    cycle: () => {
      const start = performance.now();
      const parent = context.active();
      const span = floor.span(parent);
      if (span !== undefined && floor.activates) context.with(trace.setSpan(parent, span), noop);
      floor.released(floor.acquired(start, span));
    },
  };
}

/**
 * The floor by hand inside the library, for `count` acquires and releases in turn: each
 * acquire's telemetry begins around the library's acquire (run in the span's context when it
 * records), the wait time is recorded where the application gets the resource, the use time
 * just before it releases it.
 */
export function floorInLibrary(configuration: SdkConfiguration): { cycles: (pool: BenchPool, count: number) => Promise<void>; sdk: BenchSdk } {
  const floor = new FloorTelemetry(configuration);
  return {
    sdk: floor.sdk,
    cycles: async (pool, count) => {
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        const parent = context.active();
        const span = floor.span(parent);
        const resource = await (span !== undefined && floor.activates ? context.with(trace.setSpan(parent, span), pool.acquire) : pool.acquire());
        floor.released(floor.acquired(start, span));
        const released = pool.release(resource);
        if (released !== undefined) await released;
      }
    },
  };
}
