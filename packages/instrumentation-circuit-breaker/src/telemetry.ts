import type { Logger, Tracer } from '@opentelemetry/api';
import { OperationRecorder, UNNAMED, safely } from '@dyntel/instrumentation-kit';
import type { CircuitBreakerState } from '@dyntel/semconv';
import { BreakerCallKind } from './breaker-call';
import { BreakerEvents } from './breaker-events';
import { BreakerStatus, type BreakerInstruments } from './metrics';
import { breakerNames } from './naming';
import { TrackedBreaker } from './tracked-breaker';
import type { CircuitBreakerInstrumentationConfig, CircuitBreakerLibrary } from './types';

/** What the telemetry reads from its instrumentation, live. */
export interface TelemetryHost {
  tracer(): Tracer;
  logger(): Logger;
  config(): CircuitBreakerInstrumentationConfig;
  instruments(): BreakerInstruments;
}

/**
 * Everything the library patchers share: the breakers seen so far, the call recorder and
 * kind, the status metric and the state-change events. One per instrumentation instance.
 */
export class BreakerTelemetry {
  readonly recorder: OperationRecorder;
  readonly calls: BreakerCallKind;
  readonly events: BreakerEvents;
  readonly status = new BreakerStatus();
  readonly #tracked = new WeakMap<object, TrackedBreaker>();

  constructor(private readonly host: TelemetryHost) {
    this.recorder = new OperationRecorder({ tracer: () => host.tracer(), requireParentSpan: () => host.config().requireParentSpan === true });
    this.calls = new BreakerCallKind({ config: () => host.config(), callDuration: () => host.instruments().callDuration });
    this.events = new BreakerEvents(host);
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
      const config = this.host.config();
      const fromConfig = config.breakerName === undefined ? undefined : () => config.breakerName?.(breaker, { library, libraryName });
      const label = safely('naming a circuit breaker', () => breakerNames.label(breaker, libraryName, fromConfig), UNNAMED);
      tracked = new TrackedBreaker(library, label, state);
      this.#tracked.set(breaker, tracked);
      // Creating the instruments registers the status callback with the meter.
      this.host.instruments();
      this.status.watch(breaker, tracked);
    }
    return tracked;
  }
}
