import {
  createNoopMeter,
  type Counter,
  type Histogram,
  type Meter,
  type ObservableResult,
  type ObservableUpDownCounter,
} from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_STATE, CircuitBreakerState, DURATION_BUCKETS_SECONDS, METRIC_CIRCUIT_BREAKER_CALL_DURATION, METRIC_CIRCUIT_BREAKER_STATE_CHANGES, METRIC_CIRCUIT_BREAKER_STATUS, METRIC_HEALTH_CHECK_DURATION, Unit, type CircuitBreakerOutcome } from '@dyntel/semconv';
import { safely } from '@dyntel/instrumentation-kit';
import type { TrackedBreaker } from './tracked-breaker';

const ALL_STATES = Object.values(CircuitBreakerState);

function zeroPerState(): Record<CircuitBreakerState, number> {
  return Object.fromEntries(ALL_STATES.map((state) => [state, 0])) as Record<CircuitBreakerState, number>;
}

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
  // Each watched breaker's record and a weak reference to the breaker: the status callback
  // skips a collected breaker at once, and the finalizer forgets it when the GC reports it.
  readonly #live = new Map<TrackedBreaker, WeakRef<object>>();
  readonly #finalizer = new FinalizationRegistry<TrackedBreaker>((tracked) => this.#live.delete(tracked));
  // Names the last status report covered with at least one live breaker.
  readonly #reportedNames = new Set<string | undefined>();
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
    this.#live.set(tracked, new WeakRef(breaker));
    this.#finalizer.register(breaker, tracked);
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
  // which is 1 for the current state and 0 for the others when the name is unique. A name
  // whose breakers are all gone reports 0 once more: the SDK keeps exporting an observable
  // series' last value, which must not stay at 1 for a breaker that no longer exists.
  #reportStatus(result: ObservableResult): void {
    const counts = new Map<string | undefined, Record<CircuitBreakerState, number>>();
    for (const name of this.#reportedNames) counts.set(name, zeroPerState());
    this.#reportedNames.clear();
    for (const [tracked, breaker] of this.#live) {
      if (breaker.deref() === undefined) {
        this.#live.delete(tracked);
        continue;
      }
      const name = tracked.label.metricName;
      let perState = counts.get(name);
      if (!perState) {
        perState = zeroPerState();
        counts.set(name, perState);
      }
      perState[tracked.state] += 1;
      this.#reportedNames.add(name);
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
