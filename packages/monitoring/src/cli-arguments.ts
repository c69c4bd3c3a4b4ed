import { DEFAULT_PARAMETERS, type RuleParameters } from './parameters';

/** The parameters and their defaults, as the command lines' usage lists them. */
export const PARAMETERS_USAGE = `parameters (default):\n${Object.entries(DEFAULT_PARAMETERS)
  .map(([name, value]) => `  --${name}=${String(value)}`)
  .join('\n')}`;

/** Rule parameters given as `--name=value`; the values are checked later, by `ruleParameters`. */
export function parseParameters(args: readonly string[]): Partial<RuleParameters> {
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
