import { SamplingDecision } from '@opentelemetry/api';
import type { SamplingResult, SpanContext } from '@opentelemetry/api';
import { Budget } from './budget';
import type { BudgetTiming, GlobalBudget, ProbabilityLadder, RateController } from './budget';
import type { Clock } from './clock';
import { SamplerConfigError } from './config-error';
import type { Decisions, Outcome } from './decisions';
import type { Policy } from './policy';
import { MIN_PROBABILITY, encodeProbability } from './threshold';

/** A policy with its running state, ready to decide. */
export interface PolicyRuntime {
  /** Decides for a span whose (valid) parent is `parent`, undefined for a root span. */
  decide(parent: SpanContext | undefined, traceId: string): SamplingResult;
  /** For `toString()`. */
  readonly description: string;
}

/** What compiling policies needs from the sampler. */
export interface PolicyContext {
  readonly decisions: Decisions;
  readonly ladder: ProbabilityLadder;
  readonly clock: Clock;
  readonly timing: BudgetTiming;
  readonly precision: number;
  readonly globalBudget: GlobalBudget | undefined;
  /** The policy for root spans when a `parent()` policy has no root of its own. */
  readonly root: PolicyRuntime | undefined;
}

class FixedThreshold implements PolicyRuntime {
  constructor(
    private readonly decisions: Decisions,
    private readonly outcome: Outcome,
    readonly description: string,
  ) {}

  decide(parent: SpanContext | undefined, traceId: string): SamplingResult {
    return this.decisions.consistent(this.outcome, parent, traceId);
  }
}

class Off implements PolicyRuntime {
  readonly description = 'always_off';
  constructor(private readonly decisions: Decisions) {}

  decide(parent: SpanContext | undefined): SamplingResult {
    return this.decisions.drop(parent);
  }
}

class FollowParent implements PolicyRuntime {
  readonly description: string;
  constructor(
    private readonly decisions: Decisions,
    private readonly root: PolicyRuntime,
    ownRoot: boolean,
  ) {
    this.description = ownRoot ? `parent(root=${root.description})` : 'parent';
  }

  decide(parent: SpanContext | undefined, traceId: string): SamplingResult {
    return parent === undefined ? this.root.decide(undefined, traceId) : this.decisions.followParent(parent, traceId);
  }
}

class OwnBudget implements PolicyRuntime {
  readonly description: string;
  constructor(
    private readonly decisions: Decisions,
    private readonly budget: Budget,
  ) {
    this.description = `spans_per_second(${budget.describe()})`;
  }

  decide(parent: SpanContext | undefined, traceId: string): SamplingResult {
    const result = this.decisions.consistent(this.budget.next(), parent, traceId);
    if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) this.budget.sampled();
    return result;
  }
}

class SharedShare implements PolicyRuntime {
  readonly description = 'shared_budget';
  constructor(
    private readonly decisions: Decisions,
    private readonly budget: GlobalBudget,
    private readonly controller: RateController,
  ) {}

  decide(parent: SpanContext | undefined, traceId: string): SamplingResult {
    const elapsed = this.budget.tick();
    const result = this.decisions.consistent(this.controller.arrive(), parent, traceId);
    if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) this.controller.sampled(elapsed);
    return result;
  }
}

class Counter implements PolicyRuntime {
  readonly description: string;
  private remaining = 1;
  private readonly sampledResult: SamplingResult;

  constructor(
    private readonly decisions: Decisions,
    private readonly n: number,
    rateAttribute: string | undefined,
  ) {
    this.description = `one_in(${n})`;
    this.sampledResult = Object.freeze({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: rateAttribute === undefined ? undefined : Object.freeze({ [rateAttribute]: n }),
    });
  }

  decide(parent: SpanContext | undefined): SamplingResult {
    const sampled = --this.remaining === 0;
    if (sampled) this.remaining = this.n;
    return this.decisions.unknownProbability(sampled, parent, this.sampledResult);
  }
}

function positiveNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SamplerConfigError(field, value, 'a finite number greater than 0');
  }
  return value;
}

/** Builds the runtime of `policy`; `field` names it in errors. */
export function compilePolicy(
  policy: Policy,
  field: string,
  context: PolicyContext,
  rateAttribute: string | undefined,
): PolicyRuntime {
  const { decisions } = context;
  if (typeof policy !== 'object' || policy === null) {
    throw new SamplerConfigError(field, policy, 'a policy such as alwaysOn(), probability(0.1) or spansPerSecond(100)');
  }
  switch (policy.type) {
    case 'always_on':
      return new FixedThreshold(decisions, decisions.outcome('0'), 'always_on');
    case 'always_off':
      return new Off(decisions);
    case 'probability': {
      const p = policy.probability;
      if (typeof p !== 'number' || !(p >= 0 && p <= 1) || (p > 0 && p < MIN_PROBABILITY)) {
        throw new SamplerConfigError(`${field}.probability`, p, 'a number from 0 to 1 (0, or at least 2^-56)');
      }
      if (p === 0) return new Off(decisions);
      const th = encodeProbability(p, context.precision);
      return new FixedThreshold(decisions, decisions.outcome(th), `probability(${p}, th:${th})`);
    }
    case 'parent': {
      const own = policy.root !== undefined;
      const root = own ? compilePolicy(policy.root!, `${field}.root`, context, rateAttribute) : context.root;
      if (root === undefined) throw new SamplerConfigError(`${field}.root`, policy.root, 'a policy for root spans');
      return new FollowParent(decisions, root, own);
    }
    case 'spans_per_second': {
      const rate = positiveNumber(policy.spansPerSecond, `${field}.spansPerSecond`);
      return new OwnBudget(decisions, new Budget(rate, context.ladder, context.clock, context.timing));
    }
    case 'shared_budget': {
      const budget = context.globalBudget;
      if (budget === undefined) {
        throw new SamplerConfigError(field, policy, 'a globalBudget in the sampler options when a rule uses sharedBudget()');
      }
      return new SharedShare(decisions, budget, budget.join());
    }
    case 'one_in': {
      const n = policy.n;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
        throw new SamplerConfigError(`${field}.n`, n, 'an integer of at least 1');
      }
      return new Counter(decisions, n, rateAttribute);
    }
    default:
      throw new SamplerConfigError(
        `${field}.type`,
        (policy as { type?: unknown }).type,
        'always_on, always_off, probability, parent, spans_per_second, shared_budget or one_in',
      );
  }
}
