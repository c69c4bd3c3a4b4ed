import type { Logger } from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE, ATTR_CIRCUIT_BREAKER_STATE, ATTR_COMPONENT_KIND, ATTR_ERROR_TYPE, ComponentKind, EVENT_CIRCUIT_BREAKER_STATE_CHANGE, EVENT_HEALTH_CHECK, Severity, CIRCUIT_BREAKER_STATE_SEVERITY, type CircuitBreakerState } from '@dyntel/semconv';
import { emitEvent, safely } from '@dyntel/instrumentation-kit';
import type { BreakerMetrics } from './metrics';
import type { TrackedBreaker } from './tracked-breaker';

/**
 * State changes and health checks: each is counted or measured, and emitted as a contract
 * event (a span event on the active span and a log record), so that a change that happens on
 * a timer, such as a breaker half-opening, is still observable.
 */
export class BreakerEvents {
  constructor(
    private readonly metrics: BreakerMetrics,
    private readonly logger: () => Logger,
  ) {}

  /**
   * Moves a breaker to `state`. Repeated reports of the current state are not changes.
   * `errorType` is the error.type of the failure that opened the breaker, when there was one.
   */
  transition(tracked: TrackedBreaker, state: CircuitBreakerState, errorType?: string): void {
    const previous = tracked.state;
    if (previous === state) return;
    tracked.state = state;
    safely('recording a circuit breaker state change', () => {
      this.metrics.recordStateChange(tracked, state, previous);
      const attributes = tracked.spanNameAttributes();
      attributes[ATTR_CIRCUIT_BREAKER_STATE] = state;
      attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE] = previous;
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      emitEvent(this.logger(), {
        name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
        severity: CIRCUIT_BREAKER_STATE_SEVERITY[state],
        attributes,
      });
    });
  }

  /** Records one finished health check; `errorType` is set when it failed. */
  healthCheck(tracked: TrackedBreaker, seconds: number, errorType: string | undefined): void {
    safely('recording a circuit breaker health check', () => {
      this.metrics.recordHealthCheck(tracked, seconds, errorType);
      const attributes = tracked.spanNameAttributes();
      attributes[ATTR_COMPONENT_KIND] = ComponentKind.CIRCUIT_BREAKER;
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      emitEvent(this.logger(), {
        name: EVENT_HEALTH_CHECK,
        severity: errorType === undefined ? Severity.INFO : Severity.WARN,
        attributes,
      });
    });
  }
}
