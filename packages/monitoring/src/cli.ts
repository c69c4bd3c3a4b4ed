#!/usr/bin/env node
// dyntel-rules: prints the dyntel rule file for the thresholds given as --name=value, e.g.
//   npx dyntel-rules --breakerOpenFor=10m --poolSaturationRatio=0.8 > dyntel.rules.yaml
import { PARAMETERS_USAGE, parseParameters } from './cli-arguments';
import { dyntelRulesYaml } from './rules';

const USAGE = `usage: dyntel-rules [--name=value ...] > dyntel.rules.yaml\n${PARAMETERS_USAGE}`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    process.stdout.write(dyntelRulesYaml(parseParameters(args)));
  } catch (error) {
    process.stderr.write(`dyntel-rules: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
