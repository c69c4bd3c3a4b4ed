import { afterEach, describe, expect, it, vi } from 'vitest';
import { inheritedEnv } from './child-env';

describe('inheritedEnv', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('drops NODE_OPTIONS, OTEL_*, DYNTEL_*, vitest variables and what the caller names; keeps the rest', () => {
    vi.stubEnv('NODE_OPTIONS', '--require x');
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'otlp');
    vi.stubEnv('DYNTEL_SAMPLER_RULES', '[]');
    vi.stubEnv('DEMO_SPEED', '4');
    vi.stubEnv('KEPT_FOR_THE_CHILD', 'yes');

    const env = inheritedEnv(/^DEMO_/);
    expect(Object.keys(env).filter((key) => /^(NODE_OPTIONS|OTEL_|DYNTEL_|VITEST|DEMO_)/.test(key))).toEqual([]);
    expect(env).toMatchObject({ KEPT_FOR_THE_CHILD: 'yes', PATH: process.env.PATH });
  });
});
