import { diag } from '@opentelemetry/api';
import { invalidValueMessage } from './problem-message';
import { showValue } from './show-value';

/** What an option may hold. Every option is optional: `undefined` is always accepted. */
export type OptionKind = 'function' | 'boolean' | 'string' | 'millis';

/** The options an instrumentation accepts, by name, with their kind. */
export type ConfigSchema = Readonly<Record<string, OptionKind>>;

/** The options every dyntel instrumentation accepts. */
export const BASE_CONFIG_SCHEMA: ConfigSchema = Object.freeze({ enabled: 'boolean', requireParentSpan: 'boolean' });

const EXPECTED: Record<OptionKind, string> = {
  function: 'a function or undefined',
  boolean: 'true, false or undefined',
  string: 'a non-empty string or undefined',
  millis: 'a whole number of milliseconds from 0 to 2147483647, or undefined',
};

function accepts(kind: OptionKind, value: unknown): boolean {
  switch (kind) {
    case 'function':
      return typeof value === 'function';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && value !== '';
    case 'millis':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 31;
  }
}

/**
 * Checks an instrumentation's config against its schema. A value of the wrong kind throws a
 * TypeError in the one dyntel message format; an option the schema does not know is most
 * likely a typo, and is reported once through the diagnostic logger.
 */
export function validateConfig(source: string, schema: ConfigSchema, config: unknown): void {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TypeError(invalidValueMessage({ source, subject: 'config', value: config, expected: 'an object' }));
  }
  for (const [option, value] of Object.entries(config)) {
    const kind = schema[option];
    if (kind === undefined) {
      diag.warn(`${source}: unknown config option ${showValue(option)} ignored; known options: ${Object.keys(schema).join(', ')}`);
      continue;
    }
    if (value !== undefined && !accepts(kind, value)) {
      throw new TypeError(invalidValueMessage({ source, subject: `config.${option}`, value, expected: EXPECTED[kind] }));
    }
  }
}
