import {
  createNoopMeter,
  type Counter,
  type Histogram,
  type Meter,
  type ObservableResult,
  type ObservableUpDownCounter,
} from '@opentelemetry/api';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_STATE,
  CircuitBreakerState,
  DURATION_BUCKETS_SECONDS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_STATE_CHANGES,
  METRIC_CIRCUIT_BREAKER_STATUS,
  METRIC_HEALTH_CHECK_DURATION,
  Unit,
  safely,
  type CircuitBreakerOutcome,
} from '@dyntel/semconv';
import type { TrackedBreaker } from './tracked-breaker';

const ALL_STATES = Object.values(CircuitBreakerState);

interface Instruments {
  callDuration: Histogram;
  stateChanges: Counter;
  status: ObservableUpDownCounter;
  healthCheckDuration: Histogram;
}

/**
 * The breaker metrics of the contract. Breakers are held only weakly: a breaker that the
 * application drops is forgotten by the status metric once it is garbage-collected, so an
 * application that creates breakers per request cannot leak them through telemetry.
 */
export class BreakerMetrics {
  #instruments: Instruments = BreakerMetrics.#create(createNoopMeter());
  readonly #live = new Set<TrackedBreaker>();
  readonly #finalizer = new FinalizationRegistry<TrackedBreaker>((tracked) => this.#live.delete(tracked));
  readonly #observeStatus = (result: ObservableResult): void => {
    safely('circuit breaker status callback', () => this.#reportStatus(result));
  };

  /** (Re)creates the instruments on a meter; a meter that fails leaves the no-op instruments in place. */
  bind(meter: Meter): void {
    const previous = this.#instruments;
    const next = safely('creating circuit breaker instruments', () => BreakerMetrics.#create(meter));
    if (!next) return;
    safely('moving the status callback', () => {
      previous.status.removeCallback(this.#observeStatus);
      next.status.addCallback(this.#observeStatus);
    });
    this.#instruments = next;
  }

  /** Starts reporting a breaker's status until the breaker is garbage-collected. */
  watch(breaker: object, tracked: TrackedBreaker): void {
    this.#live.add(tracked);
    this.#finalizer.register(breaker, tracked);
  }

  /** How many breakers the status metric currently reports. */
  get watchedCount(): number {
    return this.#live.size;
  }

  /** Records one protected call. */
  recordCall(tracked: TrackedBreaker, outcome: CircuitBreakerOutcome, errorType: string | undefined, seconds: number): void {
    this.#instruments.callDuration.record(seconds, tracked.callAttributes(outcome, errorType));
  }

  /** Counts one state change. */
  recordStateChange(tracked: TrackedBreaker, state: CircuitBreakerState, previous: CircuitBreakerState): void {
    this.#instruments.stateChanges.add(1, tracked.stateChangeAttributes(state, previous));
  }

  /** Records one health check. */
  recordHealthCheck(tracked: TrackedBreaker, seconds: number, errorType: string | undefined): void {
    this.#instruments.healthCheckDuration.record(seconds, tracked.healthCheckAttributes(errorType));
  }

  // Breakers that share a name share a series: each state reports how many of them are in it,
  // which is 1 for the current state and 0 for the others when the name is unique.
  #reportStatus(result: ObservableResult): void {
    const counts = new Map<string | undefined, Record<CircuitBreakerState, number>>();
    for (const tracked of this.#live) {
      const name = tracked.label.metricName;
      let perState = counts.get(name);
      if (!perState) {
        perState = Object.fromEntries(ALL_STATES.map((state) => [state, 0])) as Record<CircuitBreakerState, number>;
        counts.set(name, perState);
      }
      perState[tracked.state] += 1;
    }
    for (const [name, perState] of counts) {
      for (const state of ALL_STATES) {
        const attributes = name === undefined
          ? { [ATTR_CIRCUIT_BREAKER_STATE]: state }
          : { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: state };
        result.observe(perState[state], attributes);
      }
    }
  }

  static #create(meter: Meter): Instruments {
    return {
      callDuration: meter.createHistogram(METRIC_CIRCUIT_BREAKER_CALL_DURATION, {
        description: 'Duration of calls protected by a circuit breaker, rejected calls included.',
        unit: Unit.SECONDS,
        advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
      }),
      stateChanges: meter.createCounter(METRIC_CIRCUIT_BREAKER_STATE_CHANGES, {
        description: 'Circuit breaker state transitions.',
        unit: Unit.STATE_CHANGE,
      }),
      status: meter.createObservableUpDownCounter(METRIC_CIRCUIT_BREAKER_STATUS, {
        description: 'Circuit breakers in each state: 1 for the current state, 0 for the others.',
        unit: Unit.ONE,
      }),
      healthCheckDuration: meter.createHistogram(METRIC_HEALTH_CHECK_DURATION, {
        description: 'Duration of circuit breaker health checks.',
        unit: Unit.SECONDS,
        advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
      }),
    };
  }
}
