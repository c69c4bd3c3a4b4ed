import { describe, expect, it } from 'vitest';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_AGENT_NAME } from '@dyntel/semconv';
import { AttributeSets, DerivedStrings } from './attribute-sets';

const agentSets = () => {
  let built = 0;
  const sets = new AttributeSets((name: string | undefined) => {
    built += 1;
    return name === undefined ? {} : { [ATTR_GEN_AI_AGENT_NAME]: name };
  });
  return { sets, built: () => built };
};

describe('AttributeSets', () => {
  it('hands out the one set made for a key, built once', () => {
    const { sets, built } = agentSets();
    const first = sets.get('Triage');
    expect(first).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'Triage' });
    expect(sets.get('Triage')).toBe(first);
    expect(sets.get(undefined)).toEqual({});
    expect(built()).toBe(2);
  });

  it('keeps the set with error.type apart, per error type, and leaves the set without it as it was', () => {
    const { sets } = agentSets();
    const ok = sets.get('Triage');
    const failed = sets.get('Triage', '_OTHER');
    expect(failed).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'Triage', [ATTR_ERROR_TYPE]: '_OTHER' });
    expect(sets.get('Triage', '_OTHER')).toBe(failed);
    expect(sets.get('Triage', 'TimeoutError')).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'Triage', [ATTR_ERROR_TYPE]: 'TimeoutError' });
    expect(ok).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'Triage' });
    expect(sets.get('Triage')).toBe(ok);
  });

  it('past its bound, still gives the right set, built per call', () => {
    const { sets, built } = agentSets();
    for (let i = 0; i < 1024; i++) sets.get(`agent-${i}`);
    const before = built();
    expect(sets.get('one more')).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'one more' });
    expect(sets.get('one more')).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'one more' });
    expect(built()).toBe(before + 2);
    expect(sets.get('agent-0')).toEqual({ [ATTR_GEN_AI_AGENT_NAME]: 'agent-0' });
    expect(built()).toBe(before + 2);
  });
});

describe('DerivedStrings', () => {
  it('builds the string of a key once', () => {
    let built = 0;
    const names = new DerivedStrings((name) => {
      built += 1;
      return `invoke_agent ${name}`;
    });
    expect(names.get('Triage')).toBe('invoke_agent Triage');
    expect(names.get('Triage')).toBe('invoke_agent Triage');
    expect(built).toBe(1);
  });
});
