import { describe, expect, it } from 'vitest';
import { functionExportDefinition, isFunctionExportPatcher, type FunctionExportPatcher } from './function-export';
import type { AnyFunction } from './shim';

/** A patcher that tags results, passing through once `enabled` is false. */
function tagging(state = { enabled: true }): FunctionExportPatcher & { state: { enabled: boolean } } {
  return {
    state,
    moduleName: 'lib',
    versions: '>=1 <2',
    wrapExport: (original) =>
      function (this: unknown, ...args: unknown[]) {
        const result = Reflect.apply(original, this, args) as unknown;
        return state.enabled ? `wrapped(${String(result)})` : result;
      },
    wrapNamed: (name, original, main) => (name === 'viaMain' ? (...args: unknown[]) => `${String(main(...args))}!` : undefined),
  };
}

function definition(patcher: FunctionExportPatcher) {
  const def = functionExportDefinition('test', patcher);
  return { patch: (exports: unknown) => def.patch!(exports, '1.0.0') as unknown, unpatch: (exports: unknown) => def.unpatch!(exports, '1.0.0') };
}

/** A CommonJS module whose export is a function, with properties, as `module.exports = fn` makes it. */
function cjsModule() {
  function lib(this: unknown, x: number) {
    return `lib(${x}, ${this === undefined ? 'no this' : 'this'})`;
  }
  class LibError extends Error {}
  const exports = Object.assign(lib, { LibError, viaMain: (x: number) => `own(${x})` });
  (exports as unknown as { default: unknown }).default = exports;
  return exports as typeof exports & { default: typeof exports };
}

describe('functionExportDefinition', () => {
  it('hands out a CommonJS function export as a wrapper that looks like it', () => {
    const original = cjsModule();
    const wrapped = definition(tagging()).patch(original) as typeof original;
    expect(wrapped).not.toBe(original);
    expect(wrapped(1)).toBe('wrapped(lib(1, no this))');
    expect(wrapped.call({}, 2)).toBe('wrapped(lib(2, this))');
    expect(wrapped.name).toBe('lib');
    expect(wrapped.length).toBe(1);
    expect(wrapped.LibError).toBe(original.LibError);
    // `module.exports.default = fn` keeps pointing at what the module exports.
    expect(wrapped.default).toBe(wrapped);
    // Named exports that call the module's own function go through the wrapper.
    expect(wrapped.viaMain(3)).toBe('wrapped(lib(3, no this))!');
  });

  it('hands out the same wrapper however often the module is loaded', () => {
    const original = cjsModule();
    const def = definition(tagging());
    const first = def.patch(original);
    expect(def.patch(original)).toBe(first);
    expect(def.patch(first)).toBe(first);
  });

  it('replaces the default of an ESM namespace and restores it on unpatch', () => {
    const main = (x: number) => `main(${x})`;
    const viaMain = (x: number) => `own(${x})`;
    const namespace: Record<string, AnyFunction | string> = { default: main, viaMain, VERSION: '1' };
    const def = definition(tagging());
    expect(def.patch(namespace)).toBe(namespace);
    expect((namespace.default as AnyFunction)(1)).toBe('wrapped(main(1))');
    expect((namespace.viaMain as AnyFunction)(2)).toBe('wrapped(main(2))!');
    def.unpatch(namespace);
    expect(namespace).toEqual({ default: main, viaMain, VERSION: '1' });
  });

  it('tells wrapExport the version of the module it wraps', () => {
    const seen: unknown[] = [];
    const def = functionExportDefinition('test', { moduleName: 'lib', versions: '>=1 <3', wrapExport: (original, version) => (seen.push(version), original.bind(undefined)) });
    def.patch!(cjsModule(), '2.1.0');
    def.patch!({ default: () => 1 }, undefined);
    expect(seen).toEqual(['2.1.0', undefined]);
  });

  it('hands out a writable copy of a read-only namespace (an ES module loaded with require()), never throwing into require', async () => {
    // A real module namespace: its properties say they are writable, and setting one throws.
    const source = 'data:text/javascript,export default function main(x) { return `main(${x})`; } export const viaMain = (x) => `own(${x})`; export const VERSION = "1";';
    const namespace = (await import(source)) as Record<string, unknown>;
    expect(() => {
      (namespace as { default: unknown }).default = null;
    }).toThrow(TypeError);
    const patched = definition(tagging()).patch(namespace) as Record<string, (x: number) => string> & { VERSION: string };
    expect(patched).not.toBe(namespace);
    expect(patched.default!(1)).toBe('wrapped(main(1))');
    expect(patched.viaMain!(2)).toBe('wrapped(main(2))!');
    expect(patched.VERSION).toBe('1');
    expect(Object.prototype.toString.call(patched)).toBe('[object Module]');
  });

  it('reports a patcher that throws and hands the module out as it is', () => {
    const exports = { default: () => 1 };
    const broken = { ...tagging(), wrapExport: () => {
      throw new Error('patcher bug');
    } };
    expect(definition(broken).patch(exports)).toBe(exports);
  });

  it('leaves a module without a function export as it is', () => {
    const exports = { default: 42 };
    expect(definition(tagging()).patch(exports)).toBe(exports);
    expect(exports).toEqual({ default: 42 });
  });

  it('tells its patchers apart from prototype patchers', () => {
    expect(isFunctionExportPatcher(tagging())).toBe(true);
    expect(isFunctionExportPatcher({ moduleName: 'x', versions: '*', resolve: () => undefined })).toBe(false);
  });
});
