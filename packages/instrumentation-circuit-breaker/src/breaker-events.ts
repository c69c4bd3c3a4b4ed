import type { Logger } from '@opentelemetry/api';
import { emitEvent, safely, StateChanges } from '@dyntel/instrumentation-kit';
import {
  ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_COMPONENT_KIND,
  ATTR_ERROR_TYPE,
  CIRCUIT_BREAKER_STATE_SEVERITY,
  ComponentKind,
  EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
  EVENT_HEALTH_CHECK,
  Severity,
  type CircuitBreakerState,
} from '@dyntel/semconv';
import type { BreakerInstruments } from './metrics';
import type { TrackedBreaker } from './tracked-breaker';

/** What the events read from their instrumentation, live. */
export interface BreakerEventsHost {
  instruments(): BreakerInstruments;
  logger(): Logger;
}

/**
 * State changes and health checks: each is counted or measured, and emitted as a contract
 * event (a span event on the active span and a log record), so that a change that happens on
 * a timer, such as a breaker half-opening, is still observable.
 */
export class BreakerEvents {
  readonly #stateChanges: StateChanges<CircuitBreakerState, TrackedBreaker>;

  constructor(private readonly host: BreakerEventsHost) {
    this.#stateChanges = new StateChanges({
      label: 'circuit breaker state change',
      eventName: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
      stateAttribute: ATTR_CIRCUIT_BREAKER_STATE,
      previousStateAttribute: ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE,
      severity: CIRCUIT_BREAKER_STATE_SEVERITY,
      logger: () => host.logger(),
      count: (tracked, state, previous) => host.instruments().stateChanges.add(1, tracked.stateChangeAttributes(state, previous)),
    });
  }

  /**
   * Moves a breaker to `state`. Repeated reports of the current state are not changes.
   * `errorType` is the error.type of the failure that opened the breaker, when there was one.
   */
  transition(tracked: TrackedBreaker, state: CircuitBreakerState, errorType?: string): void {
    this.#stateChanges.transition(tracked, state, errorType);
  }

  /** Records one finished health check; `errorType` is set when it failed. */
  healthCheck(tracked: TrackedBreaker, seconds: number, errorType: string | undefined): void {
    safely('recording a circuit breaker health check', () => {
      this.host.instruments().healthCheckDuration.record(seconds, tracked.healthCheckAttributes(errorType));
      const attributes = tracked.spanAttributes();
      attributes[ATTR_COMPONENT_KIND] = ComponentKind.CIRCUIT_BREAKER;
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      emitEvent(this.host.logger(), {
        name: EVENT_HEALTH_CHECK,
        severity: errorType === undefined ? Severity.INFO : Severity.WARN,
        attributes,
      });
    });
  }
}
