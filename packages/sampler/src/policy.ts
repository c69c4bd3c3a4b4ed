/**
 * What a rule does with the spans it matches. Policies are plain descriptions; each sampler
 * builds its own running state (budgets, counters) from them, so one description can be
 * shared by several samplers.
 */
export type Policy =
  | AlwaysOnPolicy
  | AlwaysOffPolicy
  | ProbabilityPolicy
  | ParentPolicy
  | SpansPerSecondPolicy
  | SharedBudgetPolicy
  | OneInPolicy;

/** Keep every span (threshold 0, `th:0`). */
export interface AlwaysOnPolicy {
  readonly type: 'always_on';
}
/** Drop every span. */
export interface AlwaysOffPolicy {
  readonly type: 'always_off';
}
/** Consistent probability sampling: keep when R >= T(probability). */
export interface ProbabilityPolicy {
  readonly type: 'probability';
  readonly probability: number;
}
/** Follow the parent's decision and threshold; spans without a parent use `root`. */
export interface ParentPolicy {
  readonly type: 'parent';
  /** Policy for spans without a parent; the sampler's `root` policy when omitted. */
  readonly root?: Policy;
}
/** An adaptive probability that keeps this rule's sampled rate near `spansPerSecond`. */
export interface SpansPerSecondPolicy {
  readonly type: 'spans_per_second';
  readonly spansPerSecond: number;
}
/** A share of the sampler's global budget, divided fairly among the rules that use it. */
export interface SharedBudgetPolicy {
  readonly type: 'shared_budget';
}
/**
 * Keep the first of every `n` matching spans, counted in this process. Not consistent across
 * services (it ignores the trace's randomness), so sampled spans carry no threshold.
 */
export interface OneInPolicy {
  readonly type: 'one_in';
  readonly n: number;
}

/** Keep every span. */
export function alwaysOn(): AlwaysOnPolicy {
  return { type: 'always_on' };
}

/** Drop every span. */
export function alwaysOff(): AlwaysOffPolicy {
  return { type: 'always_off' };
}

/** Keep spans with probability `p` (0 to 1), consistently with every spec-conformant SDK. */
export function probability(p: number): ProbabilityPolicy {
  return { type: 'probability', probability: p };
}

/** Follow the parent; `root` decides for spans without a parent. */
export function parent(root?: Policy): ParentPolicy {
  return root === undefined ? { type: 'parent' } : { type: 'parent', root };
}

/** Keep about `spansPerSecond` of the matching spans each second, whatever the traffic. */
export function spansPerSecond(rate: number): SpansPerSecondPolicy {
  return { type: 'spans_per_second', spansPerSecond: rate };
}

/** Take a fair share of the sampler's `globalBudget`. */
export function sharedBudget(): SharedBudgetPolicy {
  return { type: 'shared_budget' };
}

/** Keep the first of every `n` matching spans in this process (not consistent across services). */
export function oneIn(n: number): OneInPolicy {
  return { type: 'one_in', n };
}
