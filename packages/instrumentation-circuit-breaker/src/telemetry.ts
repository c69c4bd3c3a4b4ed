import type { Logger, Tracer } from '@opentelemetry/api';
import { type CircuitBreakerState } from '@dyntel/semconv';
import { safely } from '@dyntel/instrumentation-kit';
import { BreakerEvents } from './breaker-events';
import { CallRecorder } from './call-recorder';
import { BreakerMetrics } from './metrics';
import { labelBreaker, type BreakerLabel } from './naming';
import { TrackedBreaker } from './tracked-breaker';
import type { CircuitBreakerInstrumentationConfig, CircuitBreakerLibrary } from './types';

/** What the telemetry reads from its instrumentation, live. */
export interface TelemetryHost {
  tracer(): Tracer;
  logger(): Logger;
  config(): CircuitBreakerInstrumentationConfig;
}

const UNNAMED: BreakerLabel = Object.freeze({ metricName: undefined, spanAttribute: undefined, spanSuffix: undefined });

/**
 * Everything the library patchers share: the breakers seen so far, the metrics, the call
 * recorder and the state-change events. One per instrumentation instance.
 */
export class BreakerTelemetry {
  readonly metrics = new BreakerMetrics();
  readonly calls: CallRecorder;
  readonly events: BreakerEvents;
  readonly #tracked = new WeakMap<object, TrackedBreaker>();

  constructor(private readonly host: TelemetryHost) {
    this.calls = new CallRecorder({ tracer: () => host.tracer(), config: () => host.config(), metrics: this.metrics });
    this.events = new BreakerEvents(this.metrics, () => host.logger());
  }

  /** The breaker's tracking record, or undefined if it has not been seen yet. */
  peek(breaker: object): TrackedBreaker | undefined {
    return this.#tracked.get(breaker);
  }

  /**
   * The breaker's tracking record, created on first sight with the breaker's current state
   * and its name; from then on the breaker is reported by the status metric while it lives.
   */
  track(
    breaker: object,
    library: CircuitBreakerLibrary,
    state: CircuitBreakerState,
    libraryName: string | undefined,
  ): TrackedBreaker {
    let tracked = this.#tracked.get(breaker);
    if (tracked === undefined) {
      const label = safely('naming a circuit breaker', () => labelBreaker(breaker, { library, libraryName }, this.host.config()), UNNAMED);
      tracked = new TrackedBreaker(library, label, state);
      this.#tracked.set(breaker, tracked);
      this.metrics.watch(breaker, tracked);
    }
    return tracked;
  }
}
