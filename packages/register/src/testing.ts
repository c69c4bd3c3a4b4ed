// `@dyntel/register/testing`: the in-memory counterpart of `--import @dyntel/register`, for a
// project's own tests. `node --import @dyntel/register/testing --test`, or in vitest.config
// `test: { setupFiles: ['@dyntel/register/testing'] }`. Test files then take the recorder with
// `installRecorder()` from @dyntel/test-span-assertions (the same one) and import the libraries
// as they always do.
import { createRequire } from 'node:module';
import { installRecorder } from '@dyntel/test-span-assertions';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { instrumentedModuleNames, registerEsmHooks } from './esm-hooks';
import { getDyntelInstrumentations } from './get-instrumentations';

const STARTED = Symbol.for('@dyntel/register.testing');

/**
 * Installs the test-span-assertions recorder as the global providers and starts every dyntel
 * instrumentation (the register list, DYNTEL_*_INSTRUMENTATIONS applied) with its require and
 * import hooks, then loads each instrumented library the project has installed. Once per
 * process: a second copy of this package (another install path) finds the first one's mark.
 */
async function startTestingTelemetry(): Promise<void> {
  const state = globalThis as { [STARTED]?: boolean };
  if (state[STARTED]) return;
  state[STARTED] = true;
  installRecorder();
  const instrumentations = getDyntelInstrumentations();
  registerEsmHooks(instrumentations);
  registerInstrumentations({ instrumentations });
  await preload(instrumentations);
}

/**
 * Loads each library through the hooks now, by its package name. Runners such as vitest import
 * dependencies by file URL, which the import hooks cannot match to a package name; a library
 * already loaded and patched here is the same module there, because the patches change its
 * classes in place. Both `require` and `import` load it: a package with a CommonJS and an ES
 * build has two copies. A library the project does not have is skipped.
 */
async function preload(instrumentations: readonly Instrumentation[]): Promise<void> {
  const load = createRequire(import.meta.url);
  for (const name of instrumentedModuleNames(instrumentations)) {
    if (resolves(() => load.resolve(name))) load(name);
    if (resolves(() => import.meta.resolve(name))) await import(name);
  }
}

function resolves(resolve: () => string): boolean {
  try {
    resolve();
    return true;
  } catch {
    return false;
  }
}

await startTestingTelemetry();
