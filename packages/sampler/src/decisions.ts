import { SamplingDecision, TraceFlags } from '@opentelemetry/api';
import type { Attributes, SamplingResult, SpanContext, TraceState } from '@opentelemetry/api';
import { OT_KEY, scanOt, withThreshold, withoutThreshold } from './ot-trace-state';
import { Threshold, randomnessReaches, randomnessReachesEncoded, thresholdProbability } from './threshold';

/** Offset of R, the low 56 bits (14 hex digits), in a 32-digit trace id. */
const TRACE_ID_RANDOMNESS_OFFSET = 18;

/** The one result of every drop that has nothing to erase: shared, so dropping allocates nothing. */
export const DROP: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });
/** Sampled, probability unknown, nothing to erase: the parent's tracestate is inherited. */
export const SAMPLED_UNKNOWN: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });

/** A threshold together with the results a root span sampled at it gets, built once. */
export class Outcome {
  /** The threshold. */
  readonly threshold: Threshold;
  /** Attributes of a span sampled at this threshold (the sample-rate attribute), if any. */
  readonly attributes: Attributes | undefined;
  /** The result of a sampled root span: `ot=th:...`, attributes. */
  readonly rootSampled: SamplingResult;

  constructor(threshold: Threshold, rateAttribute: string | undefined) {
    this.threshold = threshold;
    this.attributes = rateAttribute === undefined ? undefined : Object.freeze({ [rateAttribute]: threshold.adjustedCount });
    this.rootSampled = Object.freeze({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      traceState: withThreshold(undefined, threshold.th),
      attributes: this.attributes,
    });
  }
}

/**
 * The decisions every policy ends in, with the tracestate handling the specification asks for:
 * write `th` on sampled spans whose probability is known, erase it when it is not, never touch
 * `rv` or other vendors' entries. One instance per sampler (it owns the result caches).
 */
export class Decisions {
  private readonly rateAttribute: string | undefined;
  private readonly outcomes = new Map<string, Outcome>();
  // Children of one parent share its tracestate object; remembering the last answer for it
  // spares re-reading the `ot` entry for every sibling.
  private lastTraceState: TraceState | undefined;
  private lastTraceId = '';
  private lastFlags = -1;
  private lastResult: SamplingResult = DROP;

  constructor(rateAttribute: string | undefined) {
    this.rateAttribute = rateAttribute;
  }

  /** The (shared) outcome for a `th` value. */
  outcome(th: string): Outcome {
    let outcome = this.outcomes.get(th);
    if (outcome === undefined) {
      outcome = new Outcome(new Threshold(th), this.rateAttribute);
      this.outcomes.set(th, outcome);
    }
    return outcome;
  }

  /**
   * A consistent probability decision: keep when R >= T, R from the parent's `rv` when it has
   * one, else from the trace id.
   */
  consistent(outcome: Outcome, parent: SpanContext | undefined, traceId: string): SamplingResult {
    if (parent === undefined) {
      return randomnessReaches(traceId, TRACE_ID_RANDOMNESS_OFFSET, outcome.threshold.digits) ? outcome.rootSampled : DROP;
    }
    const traceState = parent.traceState;
    const ot = traceState?.get(OT_KEY);
    if (ot === undefined) {
      if (!randomnessReaches(traceId, TRACE_ID_RANDOMNESS_OFFSET, outcome.threshold.digits)) return DROP;
      return traceState === undefined ? outcome.rootSampled : this.sampledAt(outcome, traceState);
    }
    const scan = scanOt(ot);
    const hasTh = scan.thStart !== -1;
    const sampled =
      scan.rvStart === -1
        ? randomnessReaches(traceId, TRACE_ID_RANDOMNESS_OFFSET, outcome.threshold.digits)
        : randomnessReaches(ot, scan.rvStart, outcome.threshold.digits);
    if (!sampled) return hasTh ? { decision: SamplingDecision.NOT_RECORD, traceState: withoutThreshold(traceState) } : DROP;
    const th = outcome.threshold.th;
    // The parent already carries this very threshold: its tracestate is already right.
    if (hasTh && scan.thLength === th.length && ot.startsWith(th, scan.thStart)) {
      return { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState, attributes: outcome.attributes };
    }
    return this.sampledAt(outcome, traceState);
  }

  private sampledAt(outcome: Outcome, traceState: TraceState | undefined): SamplingResult {
    return {
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      traceState: withThreshold(traceState, outcome.threshold.th),
      attributes: outcome.attributes,
    };
  }

  /**
   * Follows the parent: its sampled flag decides, and its threshold is propagated when it is
   * consistent (sampled and R >= th), erased otherwise.
   */
  followParent(parent: SpanContext, traceId: string): SamplingResult {
    const traceState = parent.traceState;
    const flags = parent.traceFlags;
    if (traceState !== undefined && traceState === this.lastTraceState && flags === this.lastFlags && traceId === this.lastTraceId) {
      return this.lastResult;
    }
    const sampled = (flags & TraceFlags.SAMPLED) !== 0;
    const ot = traceState?.get(OT_KEY);
    if (ot === undefined) return sampled ? SAMPLED_UNKNOWN : DROP;
    const scan = scanOt(ot);
    if (scan.thStart === -1) return sampled ? SAMPLED_UNKNOWN : DROP;
    const thStart = scan.thStart;
    const thLength = scan.thLength;
    const consistent =
      sampled &&
      (scan.rvStart === -1
        ? randomnessReachesEncoded(traceId, TRACE_ID_RANDOMNESS_OFFSET, ot, thStart, thLength)
        : randomnessReachesEncoded(ot, scan.rvStart, ot, thStart, thLength));
    let result: SamplingResult;
    if (consistent) {
      result = {
        decision: SamplingDecision.RECORD_AND_SAMPLED,
        traceState,
        attributes:
          this.rateAttribute === undefined
            ? undefined
            : { [this.rateAttribute]: 1 / thresholdProbability(ot.slice(thStart, thStart + thLength)) },
      };
    } else {
      result = {
        decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
        traceState: withoutThreshold(traceState),
      };
    }
    this.lastTraceState = traceState;
    this.lastFlags = flags;
    this.lastTraceId = traceId;
    this.lastResult = result;
    return result;
  }

  /** A decision whose probability cannot be written as a threshold (1-in-N counters). */
  unknownProbability(
    sampled: boolean,
    parent: SpanContext | undefined,
    sampledAttributes: SamplingResult,
  ): SamplingResult {
    const traceState = parent?.traceState;
    const erased = withoutThreshold(traceState);
    if (erased === traceState) return sampled ? sampledAttributes : DROP;
    return sampled
      ? { ...sampledAttributes, traceState: erased }
      : { decision: SamplingDecision.NOT_RECORD, traceState: erased };
  }

  /** A drop that erases a parent's threshold when there is one. */
  drop(parent: SpanContext | undefined): SamplingResult {
    const traceState = parent?.traceState;
    const erased = withoutThreshold(traceState);
    return erased === traceState ? DROP : { decision: SamplingDecision.NOT_RECORD, traceState: erased };
  }
}
