import { describe, expect, it } from 'vitest';
import { patcherDefinition, type ModulePatcher } from './module-patcher';

interface Library {
  Client: new () => { send(): string };
}

function library(): Library {
  class Client {
    send(): string {
      return 'sent';
    }
  }
  return { Client };
}

function patcher(patch: (target: Library) => void): ModulePatcher<Library> {
  return {
    moduleName: 'lib',
    versions: '>=1 <2',
    resolve: (exports) => exports as Library,
    prototypeOf: (target) => target.Client.prototype,
    patch,
    unpatch: () => {},
  };
}

describe('patcherDefinition', () => {
  it('patches a prototype once however often the module is loaded', () => {
    let patches = 0;
    const exports = library();
    const definition = patcherDefinition('test', patcher(() => patches++));
    definition.patch!(exports, '1.0.0');
    definition.patch!(exports, '1.0.0');
    expect(patches).toBe(1);
  });

  it("reports a patcher's fault and hands the module out as it is, never throwing into require()", () => {
    const exports = library();
    const definition = patcherDefinition('test', patcher(() => {
      throw new Error('patcher bug');
    }));
    expect(definition.patch!(exports, '1.0.0')).toBe(exports);
    expect(new exports.Client().send()).toBe('sent');
  });
});
