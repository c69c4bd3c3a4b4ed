import { describe, expect, it } from 'vitest';
import { loadAutoInstrumentations } from './auto-instrumentations';
import { formatProblem, type DiagnosticMessage, type Diagnostics } from './diagnostics';
import { SUPERSEDED_UPSTREAM } from './instrumentations';

const said: string[] = [];
const say = (message: DiagnosticMessage) => said.push(typeof message === 'string' ? message : formatProblem(message));
const diagnostics: Diagnostics = { error: say, warn: say, info: say, debug: say };

const GENERIC_POOL = '@opentelemetry/instrumentation-generic-pool';
const names = (superseded?: readonly string[]) => loadAutoInstrumentations(diagnostics, superseded).map((i) => i.instrumentationName);

describe('loadAutoInstrumentations', () => {
  it('creates every upstream instrumentation when none is superseded', () => {
    expect(names()).toContain(GENERIC_POOL);
  });

  it('leaves out what a dyntel instrumentation replaces, and only that: the pool instrumentation replaces the generic-pool one', () => {
    const all = names();
    expect(SUPERSEDED_UPSTREAM.pool).toEqual([GENERIC_POOL]);
    expect(names(SUPERSEDED_UPSTREAM.pool)).toEqual(all.filter((name) => name !== GENERIC_POOL));
    expect(said).toEqual([]);
  });
});
