import type { Attributes, SpanOptions } from '@opentelemetry/api';
import { Component, type ComponentLabel, type StatefulComponent } from '@dyntel/instrumentation-kit';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_COMPONENT_KIND,
  ATTR_ERROR_TYPE,
  ComponentKind,
  SPAN_CIRCUIT_BREAKER_CALL,
  type CircuitBreakerState,
} from '@dyntel/semconv';
import type { CircuitBreakerLibrary } from './types';

/**
 * What the instrumentation knows about one breaker: its label and cached attribute sets (a
 * kit {@link Component}), the state it last reported, and what the library patchers need
 * between events. It never references the breaker itself.
 */
export class TrackedBreaker extends Component implements StatefulComponent<CircuitBreakerState> {
  /** The state the breaker last moved to, as the instrumentation saw it. */
  state: CircuitBreakerState;
  /** error.type of a failure that may open the breaker on the next `open` (opossum). */
  pendingOpenErrorType: string | undefined;

  constructor(
    readonly library: CircuitBreakerLibrary,
    label: ComponentLabel,
    initialState: CircuitBreakerState,
  ) {
    super(ATTR_CIRCUIT_BREAKER_NAME, label, SPAN_CIRCUIT_BREAKER_CALL);
    this.state = initialState;
  }

  /** Options a call span starts with: INTERNAL, the name and the state at start (what a sampler may read). */
  callSpanOptions(state: CircuitBreakerState): SpanOptions {
    return this.cachedSpanOptions(state) ?? this.#buildCallSpanOptions(state);
  }

  // Apart from callSpanOptions so that a cache hit allocates no closure context.
  #buildCallSpanOptions(state: CircuitBreakerState): SpanOptions {
    return this.spanOptions(state, (options) => {
      options.attributes[ATTR_CIRCUIT_BREAKER_STATE] = state;
    });
  }

  /** Attributes of the state-change counter. */
  stateChangeAttributes(state: CircuitBreakerState, previous: CircuitBreakerState): Attributes {
    return this.metricAttributes(`change\u0000${state}\u0000${previous}`, (attributes) => {
      attributes[ATTR_CIRCUIT_BREAKER_STATE] = state;
      attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE] = previous;
    });
  }

  /** Attributes of the health check histogram. */
  healthCheckAttributes(errorType: string | undefined): Attributes {
    return this.metricAttributes(`health\u0000${errorType ?? ''}`, (attributes) => {
      attributes[ATTR_COMPONENT_KIND] = ComponentKind.CIRCUIT_BREAKER;
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
    });
  }
}
