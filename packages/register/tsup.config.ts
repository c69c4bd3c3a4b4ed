import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// index: the --require entry; esm: the --import entry (adds the ESM hooks), which runs esm-start's
// CommonJS build; sdk: side-effect free; testing: ESM only (it awaits the libraries it preloads),
// after the first build has cleaned dist. `shims` gives the CJS build an `import.meta.url`, used to
// resolve peers from this package. The SDK packages only this package uses are bundled (see
// src/lazy.ts): a few files instead of hundreds of modules for the loader to resolve, read and
// wrap. Their `import('http')` becomes a require(): a dynamic import in a CommonJS process starts
// the ES module loader, which costs more than all the rest of an export.
export default defineConfig([
  {
    ...packageBuild({ index: 'src/index.ts', esm: 'src/esm.ts', 'esm-start': 'src/esm-start.ts', sdk: 'src/sdk.ts' }),
    shims: true,
    noExternal: [/^@opentelemetry\/(?!api$|api-logs$|instrumentation$)/],
    esbuildOptions: (options) => {
      options.supported = { ...options.supported, 'dynamic-import': false };
    },
  },
  { ...packageBuild({ testing: 'src/testing.ts' }), format: ['esm'], clean: false },
]);
