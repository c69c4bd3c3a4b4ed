import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// `shims` gives the CommonJS build an `import.meta.url`, from which the page's files and uPlot's are found.
export default defineConfig({ ...packageBuild(), shims: true });
