/**
 * Invalid sampler configuration. The message names the field (as a path such as
 * `rules[2].policy.probability`), the value found and what is accepted.
 */
export class SamplerConfigError extends Error {
  /** Path of the offending field. */
  readonly field: string;
  /** The value that was rejected. */
  readonly value: unknown;

  constructor(field: string, value: unknown, expected: string) {
    super(`dyntel sampler: invalid ${field}: ${show(value)}; expected ${expected}`);
    this.name = 'SamplerConfigError';
    this.field = field;
    this.value = value;
  }
}

function show(value: unknown): string {
  if (value instanceof RegExp || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
