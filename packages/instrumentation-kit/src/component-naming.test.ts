import { describe, expect, it } from 'vitest';
import { NAME_LENGTH_LIMIT, OTHER_VALUE } from '@dyntel/semconv';
import { cardinalityGuardFor } from './cardinality';
import { UNNAMED } from './component';
import { ComponentNaming } from './component-naming';

const ATTRIBUTE = 'kit.test.component.name';
const naming = new ComponentNaming(ATTRIBUTE, 'a test component');

describe('ComponentNaming', () => {
  it('chooses the given name, else the config callback, else the library name', () => {
    const named = naming.give('nameTest', {}, 'given');
    expect(naming.label(named, 'library', () => 'callback').spanAttribute).toBe('given');
    expect(naming.label({}, 'library', () => 'callback').spanAttribute).toBe('callback');
    expect(naming.label({}, 'library', () => undefined).spanAttribute).toBe('library');
    expect(naming.label({}, 'library', () => 42).spanAttribute).toBe('library');
    expect(naming.label({}, undefined)).toBe(UNNAMED);
  });

  it('shares given names with every copy of the kit in the process, per attribute', () => {
    const component = naming.give('nameTest', {}, 'shared');
    expect(new ComponentNaming(ATTRIBUTE, 'x').given(component)).toBe('shared');
    expect(new ComponentNaming('kit.test.other.name', 'x').given(component)).toBeUndefined();
  });

  it('drops generated names everywhere', () => {
    for (const name of ['3f2b8a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'deadbeefdeadbeef1234', '12345']) {
      expect(naming.label({}, name)).toEqual({ metricName: undefined, spanAttribute: undefined, spanSuffix: undefined });
    }
  });

  it('cuts names from user data to the contract length on metrics, spans and span names', () => {
    const label = naming.label({}, 'n'.repeat(1 << 20));
    expect(label.spanAttribute).toBe('n'.repeat(NAME_LENGTH_LIMIT));
    expect(label.metricName).toBe('n'.repeat(NAME_LENGTH_LIMIT));
    expect(label.spanSuffix).toBe('n'.repeat(NAME_LENGTH_LIMIT));
  });

  it('caps metric names at 100 per process, then _OTHER, keeping the real name on spans', () => {
    const capped = new ComponentNaming('kit.test.capped.name', 'x');
    const guard = cardinalityGuardFor('kit.test.capped.name');
    for (let i = 0; guard.size < guard.limit; i++) capped.label({}, `fill-${i}`);
    expect(capped.label({}, 'one-too-many')).toEqual({ metricName: OTHER_VALUE, spanAttribute: 'one-too-many', spanSuffix: undefined });
  });

  it('rejects bad input to the helper in the one message format', () => {
    expect(() => naming.give('nameTest', null as never, 'x')).toThrow('nameTest: invalid first argument: null; expected a test component');
    expect(() => naming.give('nameTest', {}, ' \n')).toThrow('nameTest: invalid name: " \\n"; expected a non-empty string');
  });
});
