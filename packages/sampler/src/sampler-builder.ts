import type { GlobalBudgetOptions } from './budget';
import type { Clock } from './clock';
import { DyntelSampler } from './dyntel-sampler';
import type { DyntelSamplerOptions, SamplingRule } from './dyntel-sampler';
import type { Policy } from './policy';
import type { RuleMatch } from './rule-match';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A typed, fluent way to write {@link DyntelSamplerOptions}:
 *
 * ```ts
 * const sampler = samplerBuilder()
 *   .rule({ spanKind: SpanKind.SERVER, attributes: { 'url.path': { included: ['/health*'] } } }, alwaysOff(), 'health')
 *   .rule({ spanName: { prefix: 'circuit_breaker.call' } }, spansPerSecond(50))
 *   .root(probability(0.1))
 *   .build();
 * ```
 */
export class SamplerBuilder {
  private readonly rules: SamplingRule[] = [];
  private readonly settings: Mutable<DyntelSamplerOptions> = {};

  /** Adds a rule after the existing ones (first match wins). */
  rule(match: RuleMatch, policy: Policy, name?: string): this {
    this.rules.push(name === undefined ? { match, policy } : { name, match, policy });
    return this;
  }

  /** Policy for root spans no rule matched (default `alwaysOn()`). */
  root(policy: Policy): this {
    this.settings.root = policy;
    return this;
  }

  /** A budget shared fairly by the rules using `sharedBudget()`, with a per-rule floor. */
  globalBudget(spansPerSecond: number, floor?: number): this {
    const budget: GlobalBudgetOptions = floor === undefined ? { spansPerSecond } : { spansPerSecond, floor };
    this.settings.globalBudget = budget;
    return this;
  }

  /** Adds the adjusted count of sampled spans as attribute `key`. */
  sampleRateAttribute(key: string): this {
    this.settings.sampleRateAttribute = key;
    return this;
  }

  /** Hex digits of written thresholds (1 to 14; default 4). */
  precision(digits: number): this {
    this.settings.precision = digits;
    return this;
  }

  /** Time source of budgets (tests pass a `ManualClock`). */
  clock(clock: Clock): this {
    this.settings.clock = clock;
    return this;
  }

  /** The options described so far. */
  options(): DyntelSamplerOptions {
    return { ...this.settings, rules: [...this.rules] };
  }

  /** Builds the sampler. @throws SamplerConfigError when a rule or setting is invalid. */
  build(): DyntelSampler {
    return new DyntelSampler(this.options());
  }
}

/** Starts a {@link SamplerBuilder}. */
export function samplerBuilder(): SamplerBuilder {
  return new SamplerBuilder();
}
