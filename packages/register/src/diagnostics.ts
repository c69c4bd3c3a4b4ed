import { invalidValueMessage, showValue } from '@dyntel/instrumentation-kit';
import { DiagLogLevel } from '@opentelemetry/api';

/**
 * One problem with the configuration or with an exporter, described the same way every time:
 * which variable, which value, what is accepted, and what happens now.
 */
export interface ConfigProblem {
  /** The environment variable that holds the bad value. */
  variable: string;
  /** What the message names when it is more precise than the variable (a field of its document). */
  subject?: string;
  /** The value as the user wrote it. */
  value: unknown;
  /** What the variable accepts, as a phrase: `a positive integer`. */
  expected: string;
  /** What @dyntel/register does instead; the application always keeps running. */
  consequence: string;
}

const SOURCE = '@dyntel/register';

/** A problem as the single line users see on stderr, in the one dyntel message format. */
export function formatProblem(p: ConfigProblem): string {
  return invalidValueMessage({ source: SOURCE, subject: p.subject ?? p.variable, value: p.value, expected: p.expected, consequence: p.consequence });
}

/** A line to write: free text, or a problem that {@link formatProblem} words. */
export type DiagnosticMessage = string | ConfigProblem;

/** Where @dyntel/register writes what it has to say: one line per message, never an exception. */
export interface Diagnostics {
  /** A component failed (exporter unreachable, port taken). */
  error(message: DiagnosticMessage): void;
  /** The configuration is wrong and was worked around. */
  warn(message: DiagnosticMessage): void;
  /** Something the user may want to know (second load, provider already registered). */
  info(message: DiagnosticMessage): void;
  /** Details for troubleshooting. */
  debug(message: DiagnosticMessage): void;
}

/**
 * Diagnostics written to stderr, filtered by the OTEL_LOG_LEVEL scale (so they show at the
 * default level, info, and disappear with OTEL_LOG_LEVEL=none).
 */
export function createStderrDiagnostics(
  level: DiagLogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Diagnostics {
  const at = (threshold: DiagLogLevel) => (message: DiagnosticMessage) => {
    if (level < threshold) return;
    try {
      write(`${typeof message === 'string' ? `${SOURCE}: ${message}` : formatProblem(message)}\n`);
    } catch {
      // stderr closed (EPIPE): there is nobody left to tell, and the app must not notice.
    }
  };
  return {
    error: at(DiagLogLevel.ERROR),
    warn: at(DiagLogLevel.WARN),
    info: at(DiagLogLevel.INFO),
    debug: at(DiagLogLevel.DEBUG),
  };
}

/** How many parts of a list a message names before it counts the rest. */
export const SHOWN_ITEMS_LIMIT = 5;
// Each named part is cut shorter than a whole value, so that the list stays about as long as one.
const SHOWN_ITEM_LENGTH = 40;

/**
 * Parts of a list as a message names them: the first few, each shown with `show` (quoted,
 * escaped and cut by default), then how many more there are, so that a list of thousands of
 * names is still one short line.
 */
export function showItems(items: readonly string[], show: (item: string) => string = (item) => showValue(item, SHOWN_ITEM_LENGTH)): string {
  const shown = items.slice(0, SHOWN_ITEMS_LIMIT).map(show).join(', ');
  return items.length > SHOWN_ITEMS_LIMIT ? `${shown} and ${items.length - SHOWN_ITEMS_LIMIT} more` : shown;
}

/**
 * A short description of an error, quoted, escaped and cut like any value (its message may
 * carry a host name, a receiver's status text or a path): its code and first line.
 */
export function describeError(error: unknown): string {
  try {
    return showValue(errorText(error));
  } catch {
    // A getter or toString that throws: the line must still be written.
    return 'an error that cannot be described';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Node reports a refused connection to a dual-stack host as an AggregateError with an empty message.
    const message = error.message || (error instanceof AggregateError ? error.errors.map(errorText).join(', ') : '');
    const text = typeof code === 'string' && !message.includes(code) ? `${code}${message ? `: ${message}` : ''}` : message || error.name;
    return text.split('\n')[0]!;
  }
  return String(error).split('\n')[0]!;
}
