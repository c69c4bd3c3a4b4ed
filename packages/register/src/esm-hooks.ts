import * as nodeModule from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/** How the ESM loader hooks were installed (or why not). */
export type EsmHookRegistration = 'sync' | 'async' | 'already-registered';

const REGISTERED = Symbol.for('@dyntel/register.esm-hooks');

interface IitmRegisterHooks {
  register(options?: { include?: Array<string | RegExp> }): void;
  supportsSyncHooks(): boolean;
}

/**
 * Installs the import-in-the-middle loader hooks so that ESM `import`s of the libraries these
 * instrumentations patch are patched too (require-in-the-middle only sees `require`). The
 * hooks only intercept the modules the instrumentations name, not the whole module graph.
 *
 * The hooks come from the import-in-the-middle copy that @opentelemetry/instrumentation
 * uses: its `Hook` registrations and the loader must share one module instance. On Node
 * versions whose `module.registerHooks` can run it (>= 22.22.3, >= 24.11.1) the loader runs
 * in-thread; older ones get @opentelemetry/instrumentation's `hook.mjs` on the loader thread.
 */
export function registerEsmHooks(instrumentations: readonly Instrumentation[]): EsmHookRegistration {
  const state = globalThis as { [REGISTERED]?: boolean };
  if (state[REGISTERED]) return 'already-registered';
  state[REGISTERED] = true;

  const include = moduleNamesOf(instrumentations);
  const load = nodeModule.createRequire(import.meta.url);
  const instrumentationEntry = load.resolve('@opentelemetry/instrumentation');
  const fromInstrumentation = nodeModule.createRequire(instrumentationEntry);
  // require() of an ES module without top-level await: synchronous on every supported Node.
  const iitm = fromInstrumentation('import-in-the-middle/register-hooks.mjs') as IitmRegisterHooks;
  if (iitm.supportsSyncHooks()) {
    iitm.register({ include });
    return 'sync';
  }
  const hookUrl = pathToFileURL(load.resolve('@opentelemetry/instrumentation/hook.mjs')).href;
  nodeModule.register(hookUrl, { data: { include } });
  return 'async';
}

/** The modules the instrumentations patch, as import-in-the-middle's include list wants them. */
function moduleNamesOf(instrumentations: readonly Instrumentation[]): string[] {
  return instrumentedModuleNames(instrumentations).map((name) => (isAbsolute(name) ? pathToFileURL(name).href : name));
}

/** The module names (packages, or absolute paths) in the instrumentations' module definitions, once each. */
export function instrumentedModuleNames(instrumentations: readonly Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const instrumentation of instrumentations) {
    const definitions = (instrumentation as { getModuleDefinitions?: () => Array<{ name: string }> }).getModuleDefinitions?.() ?? [];
    for (const { name } of definitions) names.add(name);
  }
  return [...names];
}
