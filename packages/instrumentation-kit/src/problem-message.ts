import { escapeText, showValue } from './show-value';

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
 * One line whatever any part holds: the value is shown by {@link showValue}, and the other parts,
 * which may carry outside text (a field path from a user's document, an engine's error), are
 * escaped the same way.
 */
export function invalidValueMessage(problem: InvalidValue): string {
  const tail = problem.consequence === undefined ? '' : `; ${escapeText(problem.consequence)}`;
  return `${escapeText(problem.source)}: invalid ${escapeText(problem.subject)}: ${showValue(problem.value)}; expected ${escapeText(problem.expected)}${tail}`;
}
