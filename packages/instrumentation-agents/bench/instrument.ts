// The instrumentation as its hooks would install it, on one SDK set-up, patched into a module's
// exports by the module definition the hooks use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AgentsInstrumentation } from '@dyntel/instrumentation-agents';
import type { BenchSdk } from '@dyntel/bench-kit';

const require = createRequire(import.meta.url);

/** The version of the installed package `name`, read from its package.json. */
function versionOf(name: string, entry: string): string {
  let dir = dirname(entry);
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (manifest.name === name) return manifest.version;
    } catch {
      // not this directory
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json of ${name} above ${entry}`);
    dir = parent;
  }
}

/** An enabled instrumentation on `sdk`, with no hook registered: patching is the caller's. */
export function instrumentationOn(sdk: BenchSdk, messageSpans: boolean): AgentsInstrumentation {
  const instrumentation = new AgentsInstrumentation({ enabled: false, messageSpans });
  // As an enabled instrumentation's hooks would see it, with no hook registered.
  (instrumentation as unknown as { _enabled: boolean })._enabled = true;
  if (sdk.tracerProvider !== undefined) instrumentation.setTracerProvider(sdk.tracerProvider);
  instrumentation.setMeterProvider(sdk.meterProvider);
  instrumentation.setLoggerProvider(sdk.loggerProvider);
  return instrumentation;
}

/** Patches the CommonJS exports of `name` as the require hook would; returns what unpatches them. */
export function patchRequired(instrumentation: AgentsInstrumentation, name: string): () => void {
  const patching = patchingOf(instrumentation, name);
  patching.patch();
  return patching.unpatch;
}

/**
 * The patch and unpatch of the CommonJS exports of `name`, the module and its definition looked
 * up once: for switching the instrumentation on and off between runs, at little cost each time.
 */
export function patchingOf(instrumentation: AgentsInstrumentation, name: string): { patch(): void; unpatch(): void } {
  const exports = require(name) as object;
  const version = versionOf(name, require.resolve(name));
  const definition = instrumentation.getModuleDefinitions().find((d) => d.name === name);
  if (definition?.patch === undefined || definition.unpatch === undefined) throw new Error(`no module definition for ${name}`);
  const { patch, unpatch } = definition;
  let patched = exports;
  return {
    patch: () => {
      patched = patch(exports, version) ?? exports;
    },
    unpatch: () => unpatch(patched, version),
  };
}
