import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// `shims` gives the CJS build an `import.meta.url`, from which the regular-expression engine is
// loaded on first use.
export default defineConfig({ ...packageBuild(), shims: true });
