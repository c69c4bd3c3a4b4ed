import { invalidValueMessage } from '@dyntel/instrumentation-kit';

/**
 * Invalid sampler configuration. The message names the field (as a path such as
 * `rules[2].policy.probability`), the value found and what is accepted, in the one dyntel
 * message format.
 */
export class SamplerConfigError extends Error {
  /** Path of the offending field. */
  readonly field: string;
  /** The value that was rejected. */
  readonly value: unknown;
  /** What the field accepts, as a phrase (`a number from 0 to 1`). */
  readonly expected: string;

  constructor(field: string, value: unknown, expected: string) {
    super(invalidValueMessage({ source: '@dyntel/sampler', subject: field, value, expected }));
    this.name = 'SamplerConfigError';
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
