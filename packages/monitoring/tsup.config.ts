import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  packageBuild(),
  { ...packageBuild({ cli: 'src/cli.ts', 'dashboards-cli': 'src/dashboards-cli.ts' }), format: ['esm'], dts: false, clean: false },
]);
