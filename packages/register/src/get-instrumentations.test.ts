import { diag, DiagLogLevel } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { PACKAGE_NAME as AGENTS_PACKAGE } from '@dyntel/instrumentation-agents';
import { PACKAGE_NAME as CIRCUIT_BREAKER_PACKAGE } from '@dyntel/instrumentation-circuit-breaker';
import { PACKAGE_NAME as POOL_PACKAGE } from '@dyntel/instrumentation-pool';
import { PACKAGE_NAME as RETRY_PACKAGE } from '@dyntel/instrumentation-retry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptedInstrumentationIds, buildInstrumentations, getDyntelInstrumentations, instrumentationIdProblems, selectInstrumentations } from './get-instrumentations';
import { DYNTEL_INSTRUMENTATIONS } from './instrumentations';
import { formatProblem } from './diagnostics';

class FakeInstrumentation extends InstrumentationBase {
  constructor(name: string, config: InstrumentationConfig = {}) {
    super(name, '1.0.0', { ...config, enabled: false });
  }
  protected init() {
    return [];
  }
}

const received: Array<InstrumentationConfig | undefined> = [];
const REGISTRY = {
  'circuit-breaker': (config?: InstrumentationConfig) => {
    received.push(config);
    return new FakeInstrumentation('cb', config);
  },
  retry: () => new FakeInstrumentation('retry'),
  pool: () => {
    throw new Error('broken factory');
  },
};

describe('selectInstrumentations', () => {
  it('takes every id by default, in registry order', () => {
    expect(selectInstrumentations(REGISTRY, undefined, [])).toEqual({ ids: ['circuit-breaker', 'retry', 'pool'], unknown: [] });
  });

  it('applies the enabled list, then the disabled list, and reports unknown ids', () => {
    expect(selectInstrumentations(REGISTRY, ['retry', 'pool', 'opossum'], ['pool', 'nope'])).toEqual({ ids: ['retry'], unknown: ['opossum', 'nope'] });
  });
});

describe('buildInstrumentations', () => {
  it('hands per-id config to the factory and skips a factory that throws', () => {
    const failed: string[] = [];
    const built = buildInstrumentations(REGISTRY, { enabled: ['circuit-breaker', 'pool'], disabled: [], config: { 'circuit-breaker': { enabled: false } } }, {
      failed: (id) => failed.push(id),
    });
    expect(built.map((i) => i.instrumentationName)).toEqual(['cb']);
    expect(received).toEqual([{ enabled: false }]);
    expect(failed).toEqual(['pool']);
  });
});

describe('instrumentationIdProblems', () => {
  it('reports each variable that names unknown ids, with the accepted ids', () => {
    expect(instrumentationIdProblems({ enabled: ['retry', 'opossum'], disabled: ['nope'] }, REGISTRY).map(formatProblem)).toEqual([
      '@dyntel/register: invalid DYNTEL_ENABLED_INSTRUMENTATIONS: "retry,opossum"; expected a comma-separated list of circuit-breaker, retry, pool; ignoring "opossum"',
      '@dyntel/register: invalid DYNTEL_DISABLED_INSTRUMENTATIONS: "nope"; expected a comma-separated list of circuit-breaker, retry, pool; ignoring "nope"',
    ]);
    expect(instrumentationIdProblems({ disabled: ['pool'] }, REGISTRY)).toEqual([]);
  });

  it('counts only the registry\'s own ids as known, as selectInstrumentations does', () => {
    expect(instrumentationIdProblems({ enabled: ['constructor'], disabled: [] }, REGISTRY).map((p) => p.consequence)).toEqual(['ignoring "constructor"']);
    expect(selectInstrumentations(REGISTRY, ['constructor'], []).unknown).toEqual(['constructor']);
  });
});

describe('getDyntelInstrumentations', () => {
  const warnings: string[] = [];
  beforeEach(() => {
    warnings.length = 0;
    diag.setLogger({ error: () => {}, warn: (message) => warnings.push(message), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  });
  afterEach(() => {
    diag.disable();
    vi.unstubAllEnvs();
  });

  it('reports unknown ids once per list through diag, naming the option or the variable they came from', () => {
    vi.stubEnv('DYNTEL_DISABLED_INSTRUMENTATIONS', 'nope');
    expect(getDyntelInstrumentations({ enabled: ['opossum'] })).toEqual([]);
    const accepted = acceptedInstrumentationIds();
    expect(warnings).toEqual([
      `@dyntel/register: invalid getDyntelInstrumentations({ enabled }): "opossum"; expected ${accepted}; ignoring "opossum"`,
      `@dyntel/register: invalid DYNTEL_DISABLED_INSTRUMENTATIONS: "nope"; expected ${accepted}; ignoring "nope"`,
    ]);
  });

  it('builds every instrumentation the lists leave, without a warning', () => {
    const built = getDyntelInstrumentations({ disabled: [] });
    for (const instrumentation of built) instrumentation.disable();
    expect(built).toHaveLength(Object.keys(DYNTEL_INSTRUMENTATIONS).length);
    expect(warnings).toEqual([]);
  });

  it('has the breaker and retry instrumentations under their ids, each turned off by its own', () => {
    const names = (disabled: string[]) => {
      const built = getDyntelInstrumentations({ disabled });
      for (const instrumentation of built) instrumentation.disable();
      return built.map((i) => i.instrumentationName);
    };
    expect(names([])).toEqual([CIRCUIT_BREAKER_PACKAGE, RETRY_PACKAGE, POOL_PACKAGE, AGENTS_PACKAGE]);
    expect(names(['retry'])).toEqual([CIRCUIT_BREAKER_PACKAGE, POOL_PACKAGE, AGENTS_PACKAGE]);
    expect(names(['circuit-breaker'])).toEqual([RETRY_PACKAGE, POOL_PACKAGE, AGENTS_PACKAGE]);
    expect(warnings).toEqual([]);
  });
});
