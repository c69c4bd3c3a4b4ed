#!/usr/bin/env node
// dyntel-rules: prints the dyntel rule file for the thresholds given as --name=value, e.g.
//   npx dyntel-rules --breakerOpenFor=10m --poolSaturationRatio=0.8 > dyntel.rules.yaml
import { DEFAULT_PARAMETERS, type RuleParameters } from './parameters';
import { dyntelRulesYaml } from './rules';

const USAGE = `usage: dyntel-rules [--name=value ...] > dyntel.rules.yaml\nparameters (default):\n${Object.entries(DEFAULT_PARAMETERS)
  .map(([name, value]) => `  --${name}=${String(value)}`)
  .join('\n')}`;

function parse(args: readonly string[]): Partial<RuleParameters> {
  const overrides: Record<string, string | number> = {};
  for (const arg of args) {
    const match = /^--(\w+)=(.*)$/s.exec(arg);
    if (match === null) throw new TypeError(`not a --name=value argument: ${JSON.stringify(arg.slice(0, 100))}`);
    const [, name, raw] = match as unknown as [string, string, string];
    // A number where one is expected; anything else is passed on as written, for the check to name.
    const numeric = typeof DEFAULT_PARAMETERS[name as keyof RuleParameters] === 'number';
    const value = Number(raw);
    overrides[name] = numeric && raw.trim() !== '' && !Number.isNaN(value) ? value : raw;
  }
  return overrides as Partial<RuleParameters>;
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    process.stdout.write(dyntelRulesYaml(parse(args)));
  } catch (error) {
    process.stderr.write(`dyntel-rules: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
