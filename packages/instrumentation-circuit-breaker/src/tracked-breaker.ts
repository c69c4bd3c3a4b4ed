import { SpanKind, type Attributes, type SpanOptions } from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE, ATTR_CIRCUIT_BREAKER_STATE, ATTR_COMPONENT_KIND, ATTR_ERROR_TYPE, ComponentKind, SPAN_CIRCUIT_BREAKER_CALL, type CircuitBreakerOutcome, type CircuitBreakerState } from '@dyntel/semconv';
import { spanName } from '@dyntel/instrumentation-kit';
import type { BreakerLabel } from './naming';
import type { CircuitBreakerLibrary } from './types';

/**
 * What the instrumentation knows about one breaker: its label, the state it last reported,
 * and the attribute sets of its metric series, built once so the hot path allocates none.
 * It never references the breaker itself, so tracking a breaker cannot keep it alive.
 */
export class TrackedBreaker {
  /** The state the breaker last moved to, as the instrumentation saw it. */
  state: CircuitBreakerState;
  /** error.type of a failure that may open the breaker on the next `open` (opossum). */
  pendingOpenErrorType: string | undefined;
  /** Span name of this breaker's calls. */
  readonly spanName: string;
  readonly #seriesAttributes = new Map<string, Attributes>();
  readonly #spanOptions = new Map<CircuitBreakerState, SpanOptions>();

  constructor(
    readonly library: CircuitBreakerLibrary,
    readonly label: BreakerLabel,
    initialState: CircuitBreakerState,
  ) {
    this.state = initialState;
    this.spanName = spanName(SPAN_CIRCUIT_BREAKER_CALL, label.spanSuffix);
  }

  /** Options a call span starts with: INTERNAL, the name and the state at start; built once per state. */
  spanOptions(state: CircuitBreakerState): SpanOptions {
    let options = this.#spanOptions.get(state);
    if (!options) {
      const attributes = this.spanNameAttributes();
      attributes[ATTR_CIRCUIT_BREAKER_STATE] = state;
      options = { kind: SpanKind.INTERNAL, attributes };
      this.#spanOptions.set(state, options);
    }
    return options;
  }

  /** Attributes of the duration histogram. The set is bounded: outcomes × guarded error types. */
  callAttributes(outcome: CircuitBreakerOutcome, errorType: string | undefined): Attributes {
    const key = errorType === undefined ? outcome : `${outcome}\u0000${errorType}`;
    let attributes = this.#seriesAttributes.get(key);
    if (!attributes) {
      attributes = this.#withName({ [ATTR_CIRCUIT_BREAKER_OUTCOME]: outcome });
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      this.#seriesAttributes.set(key, attributes);
    }
    return attributes;
  }

  /** Attributes of the state-change counter. */
  stateChangeAttributes(state: CircuitBreakerState, previous: CircuitBreakerState): Attributes {
    const key = `change\u0000${state}\u0000${previous}`;
    let attributes = this.#seriesAttributes.get(key);
    if (!attributes) {
      attributes = this.#withName({
        [ATTR_CIRCUIT_BREAKER_STATE]: state,
        [ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE]: previous,
      });
      this.#seriesAttributes.set(key, attributes);
    }
    return attributes;
  }

  /** Attributes of the health check histogram. */
  healthCheckAttributes(errorType: string | undefined): Attributes {
    const key = `health\u0000${errorType ?? ''}`;
    let attributes = this.#seriesAttributes.get(key);
    if (!attributes) {
      attributes = this.#withName({ [ATTR_COMPONENT_KIND]: ComponentKind.CIRCUIT_BREAKER });
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      this.#seriesAttributes.set(key, attributes);
    }
    return attributes;
  }

  /** The name attribute for spans and events, empty when the name was dropped. */
  spanNameAttributes(): Attributes {
    return this.label.spanAttribute === undefined ? {} : { [ATTR_CIRCUIT_BREAKER_NAME]: this.label.spanAttribute };
  }

  #withName(attributes: Attributes): Attributes {
    if (this.label.metricName !== undefined) attributes[ATTR_CIRCUIT_BREAKER_NAME] = this.label.metricName;
    return attributes;
  }
}
