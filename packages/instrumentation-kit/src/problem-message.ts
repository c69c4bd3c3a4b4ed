import { showValue } from './show-value';

/** What a diagnostic about one invalid setting says. */
export interface InvalidValue {
  /** Who speaks: the package (`@dyntel/register`) or the API (`nameComponent`). */
  source: string;
  /** What was set: a variable (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`), an option (`config.requestHook`). */
  subject: string;
  /** The value found; shown escaped and cut to a bounded length. */
  value: unknown;
  /** What is accepted, as a phrase: `a positive integer`, `a function or undefined`. */
  expected: string;
  /** What happens instead, when the setting is not fatal: `using the default 512`. */
  consequence?: string;
}

/**
 * The one message format of every dyntel configuration error and warning:
 * `<source>: invalid <subject>: <value>; expected <expected>[; <consequence>]`.
 * One line whatever the value holds.
 */
export function invalidValueMessage(problem: InvalidValue): string {
  const tail = problem.consequence === undefined ? '' : `; ${problem.consequence}`;
  return `${problem.source}: invalid ${problem.subject}: ${showValue(problem.value)}; expected ${problem.expected}${tail}`;
}
