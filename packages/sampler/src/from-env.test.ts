import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { samplerFromEnv } from './from-env';
import { DyntelSampler } from './dyntel-sampler';

describe('samplerFromEnv', () => {
  const errors: string[] = [];
  beforeEach(() => {
    errors.length = 0;
    diag.setLogger(
      { error: (m: string) => errors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.ERROR,
    );
  });
  afterEach(() => diag.disable());

  it('returns undefined when no DYNTEL_SAMPLER_* variable is set (empty ones do not count)', () => {
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off', DYNTEL_SAMPLER_PROBABILITY: ' ' })).toBeUndefined();
  });

  it('reads a YAML file named by DYNTEL_SAMPLER_CONFIG', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dyntel-sampler-')), 'sampler.yaml');
    writeFileSync(file, 'rule_based:\n  rules:\n    - span_kinds: [client]\n      sampler: { probability: { ratio: 0.5 } }\n');
    const configured = samplerFromEnv({ DYNTEL_SAMPLER_CONFIG: file, DYNTEL_SAMPLER_PROBABILITY: '0.1' });
    expect(configured?.sampler).toBeInstanceOf(DyntelSampler);
    expect(configured?.description).toBe(
      `DyntelSampler{#1: kind=CLIENT -> probability(0.5, th:8); root: probability(0.1, th:e666); children: parent} (from DYNTEL_SAMPLER_CONFIG=${file})`,
    );
    expect(errors).toEqual([]);
  });

  it('reads inline rules, a root budget and the sample-rate attribute', () => {
    const configured = samplerFromEnv({
      DYNTEL_SAMPLER_RULES: '[{ dyntel: { span_names: ["retry.*"] }, sampler: { dyntel: { one_in: 5 } } }]',
      DYNTEL_SAMPLER_SPANS_PER_SECOND: '200',
      DYNTEL_SAMPLER_SAMPLE_RATE_ATTRIBUTE: 'SampleRate',
    });
    expect(configured?.description).toBe(
      'DyntelSampler{#1: name=glob:"retry.*" -> one_in(5); root: spans_per_second(200/s); children: parent; sampleRateAttribute: SampleRate} (from DYNTEL_SAMPLER_RULES)',
    );
  });

  it('reports through the given function instead of diag when asked', () => {
    const reported: string[] = [];
    const configured = samplerFromEnv({ DYNTEL_SAMPLER_PROBABILITY: '2' }, { report: (m) => reported.push(m) });
    expect(reported).toEqual([
      '@dyntel/sampler: invalid DYNTEL_SAMPLER_PROBABILITY: "2"; expected a decimal number from 0 to 1 (0, or at least 2^-56); using parent-based always-on sampling',
    ]);
    expect(errors).toEqual([]);
    expect(configured?.sampler.toString()).toMatch(/^ParentBased/);
  });

  it.each([
    [{ DYNTEL_SAMPLER_PROBABILITY: 'half' }, 'invalid DYNTEL_SAMPLER_PROBABILITY: "half"; expected a decimal number from 0 to 1'],
    [{ DYNTEL_SAMPLER_PROBABILITY: '1e-20' }, 'invalid DYNTEL_SAMPLER_PROBABILITY: "1e-20"; expected a decimal number from 0 to 1 (0, or at least 2^-56)'],
    [{ DYNTEL_SAMPLER_CONFIG: '/nonexistent/sampler.yaml' }, 'invalid DYNTEL_SAMPLER_CONFIG: "/nonexistent/sampler.yaml"; expected a readable JSON or YAML file'],
    [{ DYNTEL_SAMPLER_RULES: '[{ sampler: { probability: { ratio: -1 } } }]' }, 'invalid DYNTEL_SAMPLER_RULES rule_based.rules[0].sampler.probability.ratio: -1; expected a number from 0 to 1'],
    [{ DYNTEL_SAMPLER_RULES: '[{ sampler: { dyntel: { shared_budget: {} } } }]' }, 'invalid DYNTEL_SAMPLER_RULES rules[0].policy: {"type":"shared_budget"}; expected a globalBudget'],
    [{ DYNTEL_SAMPLER_PROBABILITY: '0.1', DYNTEL_SAMPLER_SPANS_PER_SECOND: '5' }, 'invalid DYNTEL_SAMPLER_SPANS_PER_SECOND: "5"; expected only one of'],
  ])('%j: reports the variable, the field and the value, falls back to parent-based always-on', (env, message) => {
    const configured = samplerFromEnv(env);
    expect(configured?.sampler.toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
    expect(configured?.description).toContain('(fallback: invalid DYNTEL_SAMPLER_');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^@dyntel\/sampler: /);
    expect(errors[0]).toContain(message);
    expect(errors[0]).toMatch(/; using parent-based always-on sampling$/);
  });
});
