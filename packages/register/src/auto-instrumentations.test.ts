import { describe, expect, it } from 'vitest';
import { loadAutoInstrumentations } from './auto-instrumentations';
import type { Diagnostics } from './diagnostics';
import { SUPERSEDED_UPSTREAM } from './instrumentations';

const said: string[] = [];
const diagnostics: Diagnostics = {
  error: (line) => said.push(line),
  warn: (line) => said.push(line),
  info: (line) => said.push(line),
  debug: (line) => said.push(line),
};

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
