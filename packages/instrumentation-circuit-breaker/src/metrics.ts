import type { Counter, Histogram, Meter, ObservableResult, ObservableUpDownCounter } from '@opentelemetry/api';
import { LiveComponents, safely } from '@dyntel/instrumentation-kit';
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
} from '@dyntel/semconv';
import type { TrackedBreaker } from './tracked-breaker';

/** The breaker metrics of the contract, on one meter. */
export interface BreakerInstruments {
  callDuration: Histogram;
  stateChanges: Counter;
  status: ObservableUpDownCounter;
  healthCheckDuration: Histogram;
}

/** Creates the breaker instruments on `meter`. */
export function createBreakerInstruments(meter: Meter): BreakerInstruments {
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

const ALL_STATES = Object.values(CircuitBreakerState);

function zeroPerState(): Record<CircuitBreakerState, number> {
  return Object.fromEntries(ALL_STATES.map((state) => [state, 0])) as Record<CircuitBreakerState, number>;
}

/**
 * The status metric: every live breaker, by name and state. Breakers are held weakly (a kit
 * {@link LiveComponents}), so one the application drops stops being reported once collected.
 */
export class BreakerStatus {
  readonly #live = new LiveComponents<TrackedBreaker>();
  // Names the last report covered with at least one live breaker.
  readonly #reportedNames = new Set<string | undefined>();
  /** The callback to register on the status instrument. */
  readonly observe = (result: ObservableResult): void => {
    safely('circuit breaker status callback', () => this.#report(result));
  };

  /** Starts reporting a breaker's status until the breaker is garbage-collected. */
  watch(breaker: object, tracked: TrackedBreaker): void {
    this.#live.add(breaker, tracked);
  }

  // Breakers that share a name share a series: each state reports how many of them are in it,
  // which is 1 for the current state and 0 for the others when the name is unique. A name
  // whose breakers are all gone reports 0 once more: the SDK keeps exporting an observable
  // series' last value, which must not stay at 1 for a breaker that no longer exists.
  #report(result: ObservableResult): void {
    const counts = new Map<string | undefined, Record<CircuitBreakerState, number>>();
    for (const name of this.#reportedNames) counts.set(name, zeroPerState());
    this.#reportedNames.clear();
    this.#live.forEachLive((tracked) => {
      const name = tracked.label.metricName;
      let perState = counts.get(name);
      if (!perState) {
        perState = zeroPerState();
        counts.set(name, perState);
      }
      perState[tracked.state] += 1;
      this.#reportedNames.add(name);
    });
    for (const [name, perState] of counts) {
      for (const state of ALL_STATES) {
        const attributes = name === undefined
          ? { [ATTR_CIRCUIT_BREAKER_STATE]: state }
          : { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: state };
        result.observe(perState[state], attributes);
      }
    }
  }
}
