import { SpanKind, type Attributes, type SpanOptions } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@dyntel/semconv';
import { spanName } from './span-name';

/** How a component's name appears in telemetry. */
export interface ComponentLabel {
  /** The name attribute's value on metrics: cardinality-guarded, possibly `_OTHER`. */
  readonly metricName: string | undefined;
  /** The name attribute's value on spans and events: the chosen name unless generated. */
  readonly spanAttribute: string | undefined;
  /** The span name suffix: the chosen name unless generated or past the cardinality cap. */
  readonly spanSuffix: string | undefined;
}

/** A label with no name: the name attribute is left out everywhere. */
export const UNNAMED: ComponentLabel = Object.freeze({ metricName: undefined, spanAttribute: undefined, spanSuffix: undefined });

/**
 * What an instrumentation knows about one component (a breaker, a retry policy, a pool): its
 * label, and the attribute sets and span options of its operations, built once per key so
 * that the hot path allocates none. It never references the component itself, so tracking a
 * component cannot keep it alive.
 */
export class Component {
  /** The span name of this component's operations. */
  readonly spanName: string;
  readonly #attributes = new Map<string, Attributes>();
  readonly #spanOptions = new Map<string, SpanOptions>();
  readonly #durations = new Map<string, Map<string | undefined, Attributes>>();

  constructor(
    /** The attribute that carries the component's name (`resilience.circuit_breaker.name`). */
    readonly nameAttribute: string,
    readonly label: ComponentLabel,
    /** The operation its spans are named after (`circuit_breaker.call`). */
    operation: string,
  ) {
    this.spanName = spanName(operation, label.spanSuffix);
  }

  /** Metric attributes under `key`: the guarded name plus what `fill` adds, built on first use. */
  metricAttributes(key: string, fill: (attributes: Attributes) => void): Attributes {
    let attributes = this.#attributes.get(key);
    if (attributes === undefined) {
      attributes = this.label.metricName === undefined ? {} : { [this.nameAttribute]: this.label.metricName };
      fill(attributes);
      this.#attributes.set(key, attributes);
    }
    return attributes;
  }

  /**
   * The attributes of an operation's duration: the guarded name, `outcomeAttribute` (when the
   * kind has one) set to `outcome`, and `error.type` when there is one. Built once per outcome
   * and error type, and found again by the two without a key string made per operation.
   */
  durationAttributes(outcomeAttribute: string | undefined, outcome: string, errorType: string | undefined): Attributes {
    let byErrorType = this.#durations.get(outcome);
    if (byErrorType === undefined) {
      byErrorType = new Map();
      this.#durations.set(outcome, byErrorType);
    }
    let attributes = byErrorType.get(errorType);
    if (attributes === undefined) {
      attributes = this.label.metricName === undefined ? {} : { [this.nameAttribute]: this.label.metricName };
      if (outcomeAttribute !== undefined) attributes[outcomeAttribute] = outcome;
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      byErrorType.set(errorType, attributes);
    }
    return attributes;
  }

  /** The span options built under `key`, if they were. */
  cachedSpanOptions(key: string): SpanOptions | undefined {
    return this.#spanOptions.get(key);
  }

  /** Span options under `key` (INTERNAL unless `fill` says otherwise), with the span name attribute, built on first use. */
  spanOptions(key: string, fill: (options: SpanOptions & { attributes: Attributes }) => void): SpanOptions {
    let options = this.#spanOptions.get(key);
    if (options === undefined) {
      const built = { kind: SpanKind.INTERNAL, attributes: this.spanAttributes() };
      fill(built);
      options = built;
      this.#spanOptions.set(key, options);
    }
    return options;
  }

  /** A fresh attribute set with the name for spans and events; empty when the name was dropped. */
  spanAttributes(): Attributes {
    return this.label.spanAttribute === undefined ? {} : { [this.nameAttribute]: this.label.spanAttribute };
  }
}
