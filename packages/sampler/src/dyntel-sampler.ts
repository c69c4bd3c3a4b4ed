import { TraceFlags, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, SamplingResult, SpanContext, SpanKind } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { reportInstrumentationError } from '@dyntel/instrumentation-kit';
import { DEFAULT_BUDGET_TIMING, GlobalBudget, ProbabilityLadder } from './budget';
import type { BudgetTiming, GlobalBudgetOptions } from './budget';
import { monotonicClock } from './clock';
import type { Clock } from './clock';
import { SamplerConfigError } from './config-error';
import { DROP, Decisions, SAMPLED_UNKNOWN } from './decisions';
import { alwaysOn } from './policy';
import type { Policy } from './policy';
import { compilePolicy } from './policy-runtime';
import type { PolicyContext, PolicyRuntime } from './policy-runtime';
import { CompiledMatch } from './rule-match';
import type { RuleMatch } from './rule-match';
import { DEFAULT_PRECISION, FULL_PRECISION } from './threshold';

/** One rule: spans meeting `match` get `policy`. Rules are tried in order; the first match wins. */
export interface SamplingRule {
  /** A name for logs and `toString()`. */
  readonly name?: string;
  /** Conditions; omitted or empty matches every span. */
  readonly match?: RuleMatch;
  /** What to do with matching spans. */
  readonly policy: Policy;
}

/** Options of {@link DyntelSampler}. */
export interface DyntelSamplerOptions {
  /** Rules, first match wins. Spans no rule matches follow their parent (root spans: `root`). */
  readonly rules?: readonly SamplingRule[];
  /** Policy for root spans that no rule matched, and for `parent()` without a root (default `alwaysOn()`). */
  readonly root?: Policy;
  /** A budget shared fairly by the rules whose policy is `sharedBudget()`. */
  readonly globalBudget?: GlobalBudgetOptions;
  /**
   * When set, sampled spans whose probability is known get this attribute with their adjusted
   * count (1/p; N for `oneIn(N)`), for backends that read a sample rate (e.g. `SampleRate`).
   */
  readonly sampleRateAttribute?: string;
  /** Significant hex digits of written thresholds, 1 to 14 (default 4, as the specification recommends; 14 is exact). */
  readonly precision?: number;
  /** Time source of budgets (default: the monotonic clock). Tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Budget window in milliseconds (default 1000). */
  readonly budgetWindowMillis?: number;
  /** Largest factor by which a budget's probability grows per window (default 4). */
  readonly budgetMaxGrowth?: number;
}

class CompiledRule {
  constructor(
    readonly match: CompiledMatch,
    readonly policy: PolicyRuntime,
    readonly label: string,
  ) {}
}

/**
 * A rule-based OpenTelemetry sampler implementing consistent probability sampling: every
 * probability decision is `R >= T` with R from the `ot.rv` tracestate value or the trace id's
 * low 56 bits, and sampled spans carry `ot=th:...`. Children follow their parent unless a rule
 * says otherwise. Hot paths allocate nothing when they drop.
 */
export class DyntelSampler implements Sampler {
  private readonly rules: readonly CompiledRule[];
  private readonly root: PolicyRuntime;
  private readonly children: PolicyRuntime;
  private readonly description: string;

  /** @throws SamplerConfigError when the options are invalid (see `samplerOrFallback()` for a non-throwing form). */
  constructor(options: DyntelSamplerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new SamplerConfigError('options', options, 'an object');
    }
    const precision = options.precision ?? DEFAULT_PRECISION;
    if (!Number.isInteger(precision) || precision < 1 || precision > FULL_PRECISION) {
      throw new SamplerConfigError('precision', precision, 'an integer from 1 to 14');
    }
    const rateAttribute = options.sampleRateAttribute;
    if (rateAttribute !== undefined && (typeof rateAttribute !== 'string' || rateAttribute === '')) {
      throw new SamplerConfigError('sampleRateAttribute', rateAttribute, 'a non-empty attribute key');
    }
    const timing = budgetTiming(options);
    const clock = options.clock ?? monotonicClock;
    if (typeof clock?.now !== 'function') throw new SamplerConfigError('clock', clock, 'an object with a now() method');
    const decisions = new Decisions(rateAttribute);
    const ladder = new ProbabilityLadder(decisions, precision);
    const globalBudget = options.globalBudget === undefined ? undefined : makeGlobalBudget(options.globalBudget, ladder, clock, timing);
    const base: PolicyContext = { decisions, ladder, clock, timing, precision, globalBudget, root: undefined };
    this.root = compilePolicy(options.root ?? alwaysOn(), 'root', base, rateAttribute);
    const context: PolicyContext = { ...base, root: this.root };
    this.children = compilePolicy({ type: 'parent' }, 'children', context, rateAttribute);
    const rules = options.rules ?? [];
    if (!Array.isArray(rules)) throw new SamplerConfigError('rules', rules, 'a list of rules');
    this.rules = rules.map((rule: SamplingRule, i) => {
      const field = `rules[${i}]`;
      if (typeof rule !== 'object' || rule === null) throw new SamplerConfigError(field, rule, 'a rule { match, policy }');
      if (rule.name !== undefined && typeof rule.name !== 'string') throw new SamplerConfigError(`${field}.name`, rule.name, 'a string');
      const match = new CompiledMatch(rule.match ?? {}, `${field}.match`);
      const policy = compilePolicy(rule.policy, `${field}.policy`, context, rateAttribute);
      return new CompiledRule(match, policy, rule.name ?? `#${i + 1}`);
    });
    const parts = this.rules.map((rule) => `${rule.label}: ${rule.match.description} -> ${rule.policy.description}`);
    parts.push(`root: ${this.root.description}`, 'children: parent');
    if (globalBudget !== undefined) parts.push(`globalBudget: ${globalBudget.describe()}`);
    if (precision !== DEFAULT_PRECISION) parts.push(`precision: ${precision}`);
    if (rateAttribute !== undefined) parts.push(`sampleRateAttribute: ${rateAttribute}`);
    this.description = `DyntelSampler{${parts.join('; ')}}`;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    let parent = trace.getSpan(context)?.spanContext();
    // The SDK reuses the parent's trace id only for a valid parent, so an equal id stands for
    // the validity check without its regular expressions.
    if (parent !== undefined && parent.traceId !== traceId) parent = undefined;
    try {
      const rules = this.rules;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.match.matches(parent, spanName, spanKind, attributes, links)) return rule.policy.decide(parent, traceId);
      }
      return parent === undefined ? this.root.decide(undefined, traceId) : this.children.decide(parent, traceId);
    } catch (error) {
      reportInstrumentationError('sampler', error);
      return fallbackDecision(parent);
    }
  }

  toString(): string {
    return this.description;
  }
}

/** What parent-based always-on would decide: the safe answer when something went wrong. */
function fallbackDecision(parent: SpanContext | undefined): SamplingResult {
  return parent === undefined || (parent.traceFlags & TraceFlags.SAMPLED) !== 0 ? SAMPLED_UNKNOWN : DROP;
}

function budgetTiming(options: DyntelSamplerOptions): BudgetTiming {
  const windowMillis = options.budgetWindowMillis ?? DEFAULT_BUDGET_TIMING.windowMillis;
  if (typeof windowMillis !== 'number' || !Number.isFinite(windowMillis) || windowMillis <= 0) {
    throw new SamplerConfigError('budgetWindowMillis', windowMillis, 'a finite number of milliseconds greater than 0');
  }
  const maxGrowth = options.budgetMaxGrowth ?? DEFAULT_BUDGET_TIMING.maxGrowth;
  if (typeof maxGrowth !== 'number' || !Number.isFinite(maxGrowth) || maxGrowth <= 1) {
    throw new SamplerConfigError('budgetMaxGrowth', maxGrowth, 'a finite number greater than 1');
  }
  return { windowMillis, maxGrowth };
}

function makeGlobalBudget(
  options: GlobalBudgetOptions,
  ladder: ProbabilityLadder,
  clock: Clock,
  timing: BudgetTiming,
): GlobalBudget {
  if (typeof options !== 'object' || options === null) {
    throw new SamplerConfigError('globalBudget', options, 'an object { spansPerSecond, floor? }');
  }
  const { spansPerSecond, floor } = options;
  if (typeof spansPerSecond !== 'number' || !Number.isFinite(spansPerSecond) || spansPerSecond <= 0) {
    throw new SamplerConfigError('globalBudget.spansPerSecond', spansPerSecond, 'a finite number greater than 0');
  }
  if (floor !== undefined && (typeof floor !== 'number' || !Number.isFinite(floor) || floor < 0)) {
    throw new SamplerConfigError('globalBudget.floor', floor, 'a finite number of at least 0');
  }
  return new GlobalBudget(options, ladder, clock, timing);
}
