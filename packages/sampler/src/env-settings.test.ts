import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_LIMIT_BYTES } from './config-file-read';
import { samplerProblemMessage } from './configured-sampler';
import { readSamplerEnv, type SamplerEnvSettings } from './env-settings';
import { probability, spansPerSecond } from './policy';

const read = (env: Record<string, string>): SamplerEnvSettings => readSamplerEnv((name) => env[name]);

/** The one line an invalid environment produces. */
function message(env: Record<string, string>): string {
  const settings = read(env);
  if (settings.status !== 'invalid') throw new Error(`expected a problem, got ${JSON.stringify(settings)}`);
  return samplerProblemMessage(settings.problem);
}

describe('readSamplerEnv', () => {
  it('is unset when no DYNTEL_SAMPLER_* variable is', () => {
    expect(read({ OTEL_TRACES_SAMPLER: 'always_off' })).toEqual({ status: 'unset' });
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['5e-2', 0.05],
  ])('reads DYNTEL_SAMPLER_PROBABILITY=%s as a root probability', (raw, value) => {
    expect(read({ DYNTEL_SAMPLER_PROBABILITY: raw })).toEqual({
      status: 'set',
      options: { root: probability(value) },
      variable: 'DYNTEL_SAMPLER_*',
      origin: 'DYNTEL_SAMPLER_* variables',
    });
  });

  it.each(['1e-20', '0x1', '2', '-0.5', 'half', 'Infinity', '1/2'])('names DYNTEL_SAMPLER_PROBABILITY=%s and what it accepts', (raw) => {
    expect(message({ DYNTEL_SAMPLER_PROBABILITY: raw })).toBe(
      `@dyntel/sampler: invalid DYNTEL_SAMPLER_PROBABILITY: "${raw}"; expected a decimal number from 0 to 1 (0, or at least 2^-56); using parent-based always-on sampling`,
    );
  });

  it('reads DYNTEL_SAMPLER_SPANS_PER_SECOND as a root budget, and refuses what is not above 0', () => {
    expect(read({ DYNTEL_SAMPLER_SPANS_PER_SECOND: '2.5' })).toMatchObject({ status: 'set', options: { root: spansPerSecond(2.5) } });
    for (const raw of ['0', '0x10', '1e999']) {
      expect(message({ DYNTEL_SAMPLER_SPANS_PER_SECOND: raw })).toBe(
        `@dyntel/sampler: invalid DYNTEL_SAMPLER_SPANS_PER_SECOND: "${raw}"; expected a decimal number greater than 0; using parent-based always-on sampling`,
      );
    }
  });

  it('refuses a probability and a budget together, and a file and inline rules together', () => {
    expect(message({ DYNTEL_SAMPLER_PROBABILITY: '0.1', DYNTEL_SAMPLER_SPANS_PER_SECOND: '5' })).toBe(
      '@dyntel/sampler: invalid DYNTEL_SAMPLER_SPANS_PER_SECOND: "5"; expected only one of DYNTEL_SAMPLER_PROBABILITY and DYNTEL_SAMPLER_SPANS_PER_SECOND; using parent-based always-on sampling',
    );
    expect(message({ DYNTEL_SAMPLER_CONFIG: '/x.yaml', DYNTEL_SAMPLER_RULES: '[]' })).toBe(
      '@dyntel/sampler: invalid DYNTEL_SAMPLER_RULES: "[]"; expected only one of DYNTEL_SAMPLER_CONFIG and DYNTEL_SAMPLER_RULES; using parent-based always-on sampling',
    );
  });

  it('takes the sample-rate attribute as it is', () => {
    expect(read({ DYNTEL_SAMPLER_SAMPLE_RATE_ATTRIBUTE: 'SampleRate' })).toMatchObject({ status: 'set', options: { sampleRateAttribute: 'SampleRate' } });
  });

  it('reads the file DYNTEL_SAMPLER_CONFIG names; the root variables override its root', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dyntel-sampler-')), 'sampler.yaml');
    writeFileSync(file, 'dyntel:\n  root: { always_off: {} }\n');
    expect(read({ DYNTEL_SAMPLER_CONFIG: file, DYNTEL_SAMPLER_PROBABILITY: '0.1' })).toEqual({
      status: 'set',
      options: { root: probability(0.1) },
      variable: 'DYNTEL_SAMPLER_CONFIG',
      origin: `DYNTEL_SAMPLER_CONFIG=${file}`,
    });
  });

  it('names the variable and the field of a bad document, and a file it cannot read', () => {
    expect(message({ DYNTEL_SAMPLER_RULES: '[{ sampler: { probability: { ratio: 7 } } }]' })).toBe(
      '@dyntel/sampler: invalid DYNTEL_SAMPLER_RULES rule_based.rules[0].sampler.probability.ratio: 7; expected a number from 0 to 1; using parent-based always-on sampling',
    );
    expect(message({ DYNTEL_SAMPLER_RULES: '{ a: [' })).toMatch(/^@dyntel\/sampler: invalid DYNTEL_SAMPLER_RULES: "\{ a: \["; expected valid JSON or YAML \(.+\); using parent-based always-on sampling$/);
    expect(message({ DYNTEL_SAMPLER_CONFIG: '/nonexistent/sampler.yaml' })).toMatch(
      /^@dyntel\/sampler: invalid DYNTEL_SAMPLER_CONFIG: "\/nonexistent\/sampler\.yaml"; expected a readable JSON or YAML file \(ENOENT.*\); using parent-based always-on sampling$/,
    );
  });
});

describe('the file DYNTEL_SAMPLER_CONFIG names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-sampler-file-'));
  const fallback = 'using parent-based always-on sampling';

  it('is read only when it is a regular file: a directory or a device is one problem line', () => {
    expect(message({ DYNTEL_SAMPLER_CONFIG: dir })).toBe(
      `@dyntel/sampler: invalid DYNTEL_SAMPLER_CONFIG: ${JSON.stringify(dir)}; expected the path of a regular JSON or YAML file, not a directory; ${fallback}`,
    );
    expect(message({ DYNTEL_SAMPLER_CONFIG: '/dev/null' })).toBe(
      `@dyntel/sampler: invalid DYNTEL_SAMPLER_CONFIG: "/dev/null"; expected the path of a regular JSON or YAML file, not a character device; ${fallback}`,
    );
  });

  it(`is read up to ${CONFIG_FILE_LIMIT_BYTES} bytes: a larger file is one line naming the limit`, () => {
    const file = join(dir, 'large.yaml');
    writeFileSync(file, `# ${'x'.repeat(CONFIG_FILE_LIMIT_BYTES)}\nalways_on: {}\n`);
    expect(message({ DYNTEL_SAMPLER_CONFIG: file })).toBe(
      `@dyntel/sampler: invalid DYNTEL_SAMPLER_CONFIG: ${JSON.stringify(file)}; expected a JSON or YAML file of at most 1 MiB (this one has ${CONFIG_FILE_LIMIT_BYTES + 17} bytes); ${fallback}`,
    );
    const fits = join(dir, 'fits.yaml');
    writeFileSync(fits, `# ${'x'.repeat(CONFIG_FILE_LIMIT_BYTES - 20)}\nalways_off: {}\n`);
    expect(read({ DYNTEL_SAMPLER_CONFIG: fits })).toMatchObject({ status: 'set', options: { root: { type: 'always_off' } } });
  });

  it('that is missing is one line with the reason, the path shown once and escaped', () => {
    const missing = join(dir, 'no\nsuch\u001b[2J.yaml');
    expect(message({ DYNTEL_SAMPLER_CONFIG: missing })).toBe(
      `@dyntel/sampler: invalid DYNTEL_SAMPLER_CONFIG: ${JSON.stringify(missing)}; expected a readable JSON or YAML file (ENOENT: no such file or directory); ${fallback}`,
    );
  });
});
