import { describe, expect, it } from 'vitest';
import { readDyntelConfig } from '../src/config';
import { formatProblem } from '../src/diagnostics';
import { instrumentationIdProblems } from '../src/get-instrumentations';
import { BAD_CONFIG_CASES } from './bad-config-cases';

/** The lines the register entry prints at start for `env`: the configuration's problems, then unknown instrumentation ids. */
function startLines(env: Record<string, string>): string[] {
  const { config, problems } = readDyntelConfig(env);
  return [...problems, ...instrumentationIdProblems(config.instrumentations)].map(formatProblem);
}

describe('a bad configuration', () => {
  it.each(BAD_CONFIG_CASES)('$title: prints exactly its lines', ({ env, lines }) => {
    expect(startLines({ ...env })).toEqual(lines);
  });

  it.each(BAD_CONFIG_CASES)('$title: every line is short, one line, and free of control characters', ({ env }) => {
    for (const line of startLines({ ...env })) {
      expect(line.length).toBeLessThan(1_000);
      // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });

  it('never prints a secret it was given', () => {
    for (const { env } of BAD_CONFIG_CASES) {
      const printed = startLines({ ...env }).join('\n');
      for (const secret of ['s3cr3t', 's3cret', 't0ken', 'abc%0D']) expect(printed).not.toContain(secret);
    }
  });
});
