#!/usr/bin/env node
// dyntel-dashboards: writes the Grafana dashboards into a directory, for rules generated with the
// same --name=value parameters (the recording rules' names carry rateWindow), e.g.
//   npx dyntel-dashboards grafana/dashboards --rateWindow=1m
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARAMETERS_USAGE, parseParameters } from './cli-arguments';
import { dashboardJson, dyntelDashboards } from './dashboards';

const USAGE = `usage: dyntel-dashboards <directory> [--name=value ...]\n(the same parameters as dyntel-rules; only rateWindow and poolSaturationRatio change the dashboards)\n${PARAMETERS_USAGE}`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    const [directory, ...rest] = args;
    if (directory === undefined || directory.startsWith('--')) throw new TypeError('the directory to write the dashboards into comes first');
    const dashboards = dyntelDashboards(parseParameters(rest));
    mkdirSync(directory, { recursive: true });
    for (const [file, dashboard] of Object.entries(dashboards)) {
      writeFileSync(join(directory, file), dashboardJson(dashboard));
      process.stdout.write(`${join(directory, file)}\n`);
    }
  } catch (error) {
    process.stderr.write(`dyntel-dashboards: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
