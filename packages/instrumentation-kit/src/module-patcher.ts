import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { reportInstrumentationError } from './guard';

/**
 * How an instrumentation patches one library: find what to patch in the module's exports,
 * patch it, restore it. `T` is what `resolve` finds (a class, or the module itself).
 */
export interface ModulePatcher<T> {
  /** The module's name as `require`/`import` see it (`opossum`). */
  readonly moduleName: string;
  /** The supported versions, as a range `>=x <y`. */
  readonly versions: string;
  /** What to patch in the CJS exports, the ESM namespace or its default; undefined when nothing fits. */
  resolve(moduleExports: unknown): T | undefined;
  /**
   * The object whose methods are wrapped. A module loaded through both `require` and
   * `import` (or twice by the hooks) is patched once: the second patch of the same
   * prototype is skipped.
   */
  prototypeOf(target: T): object;
  patch(target: T, moduleVersion: string | undefined): void;
  unpatch(target: T): void;
}

/** A patcher of any target type, as an instrumentation lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModulePatcher = ModulePatcher<any>;

/** A module definition for `InstrumentationBase.init()` that applies a patcher, once per prototype. */
export function patcherDefinition<T>(instrumentationName: string, patcher: ModulePatcher<T>): InstrumentationNodeModuleDefinition {
  // Per definition, so that two instrumentation instances each patch (the shim unwraps first).
  const patched = new WeakSet<object>();
  return new InstrumentationNodeModuleDefinition(
    patcher.moduleName,
    [patcher.versions],
    (moduleExports: unknown, moduleVersion?: string) => {
      // A fault here would surface in the application's require() or import.
      try {
        const target = patcher.resolve(moduleExports);
        if (target === undefined) {
          diag.warn(`${instrumentationName}: ${patcher.moduleName} ${moduleVersion ?? ''} exports nothing this instrumentation knows; not instrumented`);
          return moduleExports;
        }
        const proto = patcher.prototypeOf(target);
        if (!patched.has(proto)) {
          patched.add(proto);
          patcher.patch(target, moduleVersion);
        }
      } catch (error) {
        reportInstrumentationError(`${instrumentationName}: patching ${patcher.moduleName}`, error);
      }
      return moduleExports;
    },
    (moduleExports: unknown) => {
      const target = patcher.resolve(moduleExports);
      if (target === undefined) return;
      const proto = patcher.prototypeOf(target);
      if (!patched.has(proto)) return;
      patched.delete(proto);
      patcher.unpatch(target);
    },
  );
}
