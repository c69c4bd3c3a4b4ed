import type { Attributes } from '@opentelemetry/api';
import { Component, type ComponentLabel } from '@dyntel/instrumentation-kit';
import {
  ATTR_ERROR_TYPE,
  ATTR_RETRY_BACKOFF_STRATEGY,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  SPAN_RETRY_ATTEMPT,
  SPAN_RETRY_CALL,
  type BackoffStrategy,
  type RetryOutcome,
} from '@dyntel/semconv';

// Strategy key for retries whose strategy is unknown: their counter points carry no strategy.
const NO_STRATEGY = '';
// Error types come from user errors: past this many per strategy, sets are built per retry, not kept.
const CACHED_ERROR_TYPES = 100;

/**
 * What is known about one named retry (every call made under that name): its label, its
 * `retry.call` and `retry.attempt` components, and the attribute sets of the attempts
 * histogram and the retries counter, built once so that the hot path allocates none.
 */
export class RetryPolicy {
  /** The logical calls' span name and attribute sets. */
  readonly call: Component;
  /** The attempts' span name and attribute sets. */
  readonly attempt: Component;
  readonly #attempts = new Map<RetryOutcome, Attributes>();
  readonly #retries = new Map<string, Map<string, Attributes>>();

  constructor(readonly label: ComponentLabel) {
    this.call = new Component(ATTR_RETRY_NAME, label, SPAN_RETRY_CALL);
    this.attempt = new Component(ATTR_RETRY_NAME, label, SPAN_RETRY_ATTEMPT);
  }

  /** Attributes of the attempts-per-call histogram: the name and the call's outcome. */
  attemptsAttributes(outcome: RetryOutcome): Attributes {
    let attributes = this.#attempts.get(outcome);
    if (attributes === undefined) {
      attributes = { ...this.nameAttributes(), [ATTR_RETRY_OUTCOME]: outcome };
      this.#attempts.set(outcome, attributes);
    }
    return attributes;
  }

  /** Attributes of the retries counter: the name, the strategy when known, and the error that caused the retry. */
  retryAttributes(strategy: BackoffStrategy | undefined, errorType: string): Attributes {
    const strategyKey = strategy ?? NO_STRATEGY;
    let byError = this.#retries.get(strategyKey);
    if (byError === undefined) {
      byError = new Map();
      this.#retries.set(strategyKey, byError);
    }
    let attributes = byError.get(errorType);
    if (attributes === undefined) {
      attributes = { ...this.nameAttributes(), [ATTR_ERROR_TYPE]: errorType };
      if (strategy !== undefined) attributes[ATTR_RETRY_BACKOFF_STRATEGY] = strategy;
      if (byError.size < CACHED_ERROR_TYPES) byError.set(errorType, attributes);
    }
    return attributes;
  }

  private nameAttributes(): Attributes {
    return this.label.metricName === undefined ? {} : { [ATTR_RETRY_NAME]: this.label.metricName };
  }
}
