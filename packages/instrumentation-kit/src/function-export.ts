import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { reportInstrumentationError } from './guard';
import type { AnyFunction } from './shim';

/**
 * How an instrumentation patches a library whose main export is a function (`module.exports =
 * fn` in CommonJS, `export default fn` in ESM): such an export cannot be patched in place, so
 * the module's exports are handed out with a wrapper in its place.
 */
export interface FunctionExportPatcher {
  /** The module's name as `require`/`import` see it (`p-retry`). */
  readonly moduleName: string;
  /** The supported versions, as a range `>=x <y`. */
  readonly versions: string;
  /**
   * Wraps the exported function. Called once per original function; the wrapper must call
   * the original untouched while the instrumentation is disabled, since a wrapper handed out
   * cannot be taken back. `moduleVersion` is the installed version, when known: semantics of
   * one library's majors can differ while its export keeps the same shape.
   */
  wrapExport(original: AnyFunction, moduleVersion: string | undefined): AnyFunction;
  /**
   * Wrappers for other exported functions that call the module's own main function rather
   * than its export (p-retry's `makeRetriable`), given the main wrapper; by export name.
   */
  wrapNamed?(name: string, original: AnyFunction, main: AnyFunction): AnyFunction | undefined;
}

/** Whether a patcher is a {@link FunctionExportPatcher}. */
export function isFunctionExportPatcher(patcher: object): patcher is FunctionExportPatcher {
  return typeof (patcher as Partial<FunctionExportPatcher>).wrapExport === 'function';
}

// Function properties that describe the function itself, never copied onto the wrapper.
const OWN_FUNCTION_KEYS = new Set<PropertyKey>(['length', 'name', 'prototype', 'arguments', 'caller']);

/**
 * A module definition for `InstrumentationBase.init()` that applies a {@link FunctionExportPatcher}:
 * a CommonJS function export is replaced by its wrapper carrying the same properties (a
 * `default` that pointed at the function points at the wrapper); an ESM namespace or a
 * CommonJS object gets the wrapper as its `default`. Loading the module again, through
 * `require` and `import` alike, hands out the same wrapper.
 */
export function functionExportDefinition(instrumentationName: string, patcher: FunctionExportPatcher): InstrumentationNodeModuleDefinition {
  const wrappers = new WeakMap<AnyFunction, AnyFunction>();
  const originals = new WeakMap<AnyFunction, AnyFunction>();
  const wrapperOf = (fn: AnyFunction, moduleVersion: string | undefined): AnyFunction => {
    const original = originals.get(fn) ?? fn;
    let wrapper = wrappers.get(original);
    if (wrapper === undefined) {
      wrapper = patcher.wrapExport(original, moduleVersion);
      Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
      Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
      wrappers.set(original, wrapper);
      originals.set(wrapper, original);
    }
    return wrapper;
  };
  const wrapNamed = (holder: Record<string, unknown>, main: AnyFunction): void => {
    if (patcher.wrapNamed === undefined) return;
    for (const name of Object.keys(holder)) {
      const value = holder[name];
      if (name === 'default' || typeof value !== 'function' || originals.has(value as AnyFunction)) continue;
      const wrapped = patcher.wrapNamed(name, value as AnyFunction, main);
      if (wrapped === undefined) continue;
      originals.set(wrapped, value as AnyFunction);
      holder[name] = wrapped;
    }
  };

  const patch = (moduleExports: unknown, moduleVersion?: string): unknown => {
    if (typeof moduleExports === 'function') {
      const original = originals.get(moduleExports as AnyFunction) ?? (moduleExports as AnyFunction);
      const wrapper = wrapperOf(original, moduleVersion);
      if (wrapper === moduleExports) return wrapper;
      for (const key of Reflect.ownKeys(original)) {
        if (OWN_FUNCTION_KEYS.has(key)) continue;
        const descriptor = Object.getOwnPropertyDescriptor(original, key)!;
        if ('value' in descriptor && descriptor.value === original) descriptor.value = wrapper;
        Object.defineProperty(wrapper, key, descriptor);
      }
      wrapNamed(wrapper as unknown as Record<string, unknown>, wrapper);
      return wrapper;
    }
    const holder = moduleExports as Record<string, unknown> | null;
    const main = holder?.default;
    if (typeof main !== 'function') {
      diag.warn(`${instrumentationName}: ${patcher.moduleName} ${moduleVersion ?? ''} exports no function this instrumentation knows; not instrumented`);
      return moduleExports;
    }
    const wrapper = wrapperOf(main as AnyFunction, moduleVersion);
    // The namespace `require()` returns for an ES module is read-only (import-in-the-middle's is
    // writable): the hook then hands out a copy with the wrapper in place.
    const target = replaced(holder!, 'default', wrapper) ? holder! : namespaceCopy(holder!);
    target.default = wrapper;
    wrapNamed(target, wrapper);
    return target;
  };

  return new InstrumentationNodeModuleDefinition(
    patcher.moduleName,
    [patcher.versions],
    (moduleExports: unknown, moduleVersion?: string) => {
      // A fault here would surface in the application's require() or import.
      try {
        return patch(moduleExports, moduleVersion);
      } catch (error) {
        reportInstrumentationError(`${instrumentationName}: patching ${patcher.moduleName}`, error);
        return moduleExports;
      }
    },
    (moduleExports: unknown) => {
      // A replaced CommonJS export stays handed out; its wrapper passes calls through once disabled.
      if (typeof moduleExports === 'function' || moduleExports === null || typeof moduleExports !== 'object') return;
      const holder = moduleExports as Record<string, unknown>;
      for (const name of Object.keys(holder)) {
        const original = typeof holder[name] === 'function' ? originals.get(holder[name] as AnyFunction) : undefined;
        if (original !== undefined) holder[name] = original;
      }
    },
  );
}

/** Sets `holder[key]`; false when the holder refuses (a module namespace says it is writable, and throws). */
function replaced(holder: Record<string, unknown>, key: string, value: unknown): boolean {
  try {
    holder[key] = value;
  } catch {
    return false;
  }
  return holder[key] === value;
}

/** A writable copy of a module namespace: the same exports, no prototype, tagged `Module`. */
function namespaceCopy(namespace: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(namespace)) copy[key] = namespace[key];
  Object.defineProperty(copy, Symbol.toStringTag, { value: 'Module' });
  return copy;
}
