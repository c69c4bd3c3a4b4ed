import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// index: the --require entry; esm: the --import entry (adds the ESM hooks); sdk: side-effect free.
// `shims` gives the CJS build an `import.meta.url`, used to resolve peers from this package.
export default defineConfig({
  ...packageBuild({ index: 'src/index.ts', esm: 'src/esm.ts', sdk: 'src/sdk.ts' }),
  shims: true,
});
