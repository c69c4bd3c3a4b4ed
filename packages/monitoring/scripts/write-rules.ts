// Writes rules/dyntel.rules.yaml, the rule file with the default thresholds that the package
// ships: `npm run rules -w @dyntel/monitoring` (builds first). A test fails when it is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dyntelRulesYaml } from '@dyntel/monitoring';

writeFileSync(fileURLToPath(new URL('../rules/dyntel.rules.yaml', import.meta.url)), dyntelRulesYaml());
