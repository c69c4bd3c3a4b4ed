import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// index: the --require entry; esm: the --import entry (adds the ESM hooks), which runs esm-start's
// CommonJS build; sdk: side-effect free; testing: ESM only (it awaits the libraries it preloads),
// after the first build has cleaned dist. `shims` gives the CJS build an `import.meta.url`, used to
// resolve peers and the dependencies loaded on demand from this package.
export default defineConfig([
  { ...packageBuild({ index: 'src/index.ts', esm: 'src/esm.ts', 'esm-start': 'src/esm-start.ts', sdk: 'src/sdk.ts' }), shims: true },
  { ...packageBuild({ testing: 'src/testing.ts' }), format: ['esm'], clean: false },
]);
