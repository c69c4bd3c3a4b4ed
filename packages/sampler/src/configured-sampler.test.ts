import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { samplerFromSettings, samplerOrFallback } from './configured-sampler';
import type { SamplerEnvProblem } from './env-settings';
import { probability, sharedBudget } from './policy';

describe('samplerFromSettings', () => {
  it('builds nothing from unset settings, and the sampler of parsed options', () => {
    const problems: SamplerEnvProblem[] = [];
    expect(samplerFromSettings({ status: 'unset' }, (p) => problems.push(p))).toBeUndefined();
    const configured = samplerFromSettings({ status: 'set', options: { root: probability(0.5) }, variable: 'DYNTEL_SAMPLER_*', origin: 'test' }, (p) => problems.push(p));
    expect(configured?.description).toBe('DyntelSampler{root: probability(0.5, th:8); children: parent} (from test)');
    expect(problems).toEqual([]);
  });

  it('falls back to parent-based always-on from an invalid setting, which its parser reported', () => {
    const problem: SamplerEnvProblem = { variable: 'V', subject: 'V', value: 'x', expected: 'y', consequence: 'z' };
    const problems: SamplerEnvProblem[] = [];
    const configured = samplerFromSettings({ status: 'invalid', problem }, (p) => problems.push(p));
    expect(problems).toEqual([]);
    expect(configured?.description).toBe('ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler} (fallback: invalid V)');
  });

  it('names the variable and the field when the sampler rejects the options', () => {
    const problems: SamplerEnvProblem[] = [];
    const rules = [{ match: {}, policy: sharedBudget() }];
    samplerFromSettings({ status: 'set', options: { rules }, variable: 'DYNTEL_SAMPLER_RULES', origin: 'DYNTEL_SAMPLER_RULES' }, (p) => problems.push(p));
    expect(problems).toEqual([
      {
        variable: 'DYNTEL_SAMPLER_RULES',
        subject: 'DYNTEL_SAMPLER_RULES rules[0].policy',
        value: { type: 'shared_budget' },
        expected: 'a globalBudget in the sampler options when a rule uses sharedBudget()',
        consequence: 'using parent-based always-on sampling',
      },
    ]);
  });
});

describe('samplerOrFallback', () => {
  afterEach(() => diag.disable());

  it('reports rejected options through diag in the one message format', () => {
    const errors: string[] = [];
    diag.setLogger({ error: (m: string) => errors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.ERROR);
    expect(samplerOrFallback({ root: probability(0.25) }).description).toBe('DyntelSampler{root: probability(0.25, th:c); children: parent}');
    samplerOrFallback({ root: probability(2) }, 'remote config');
    expect(errors).toEqual([
      '@dyntel/sampler: invalid remote config root.probability: 2; expected a number from 0 to 1 (0, or at least 2^-56); using parent-based always-on sampling',
    ]);
  });
});
