// Writes dashboards/*.json, the Grafana dashboards for the rules with the default thresholds
// that the package ships: `npm run dashboards -w @dyntel/monitoring` (builds first). A test
// fails when one is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dashboardJson, dyntelDashboards } from '@dyntel/monitoring';

for (const [file, dashboard] of Object.entries(dyntelDashboards())) {
  writeFileSync(fileURLToPath(new URL(`../dashboards/${file}`, import.meta.url)), dashboardJson(dashboard));
}
