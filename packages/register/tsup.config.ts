import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// index: the --require entry; esm: the --import entry (adds the ESM hooks); sdk: side-effect free;
// testing: ESM only (it awaits the libraries it preloads), after the first build has cleaned dist.
// `shims` gives the CJS build an `import.meta.url`, used to resolve peers from this package.
export default defineConfig([
  { ...packageBuild({ index: 'src/index.ts', esm: 'src/esm.ts', sdk: 'src/sdk.ts' }), shims: true },
  { ...packageBuild({ testing: 'src/testing.ts' }), format: ['esm'], clean: false },
]);
