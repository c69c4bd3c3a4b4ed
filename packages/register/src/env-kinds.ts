import { PROBABILITY_EXPECTED, parseProbability } from '@dyntel/sampler';
import { DiagLogLevel } from '@opentelemetry/api';

/** What a value parses to; `ignored` lists the parts of a list that were dropped. */
export interface Parsed<T> {
  readonly value: T;
  readonly ignored?: readonly string[];
}

/** One kind of environment variable: how its (trimmed, non-blank) text is read. */
export interface ValueKind<T> {
  /** What the kind accepts, as a phrase for messages: `a positive integer`. */
  readonly expected: string;
  /** The value of `raw`, or undefined when none of it is usable. */
  parse(raw: string): Parsed<T> | undefined;
  /** How a value of this kind is named in a message (`using info`); `String(value)` by default. */
  show?(value: T): string;
}

/** A kind whose text is either wholly valid or wholly invalid. */
function whole<T>(expected: string, parse: (raw: string) => T | undefined, show?: (value: T) => string): ValueKind<T> {
  return {
    expected,
    parse: (raw) => {
      const value = parse(raw);
      return value === undefined ? undefined : { value };
    },
    ...(show && { show }),
  };
}

// Digits only: no sign, no fraction, no exponent, no hex, so `1e3`, `0x10` and `1.5` are refused.
const DIGITS = /^\d+$/;
const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/** An integer written in decimal digits, within `min..max`. */
function integer(expected: string, min: number, max: number): ValueKind<number> {
  return whole(expected, (raw) => {
    const n = DIGITS.test(raw) ? Number(raw) : NaN;
    return n >= min && n <= max ? n : undefined;
  });
}

/** Any text. */
export const text: ValueKind<string> = whole('any text', (raw) => raw);

/** `true` or `false`, in any case. */
export const boolean: ValueKind<boolean> = whole('true or false', (raw) => {
  const lower = raw.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
});

/** A duration in whole milliseconds that Node timers accept (below 2^31). */
export const durationMillis = integer(`a whole number of milliseconds from 0 to ${MAX_TIMER_MILLIS}`, 0, MAX_TIMER_MILLIS);

/** A duration that must be above zero (periodic readers and exporters refuse 0). */
export const positiveDurationMillis = integer(`a whole number of milliseconds from 1 to ${MAX_TIMER_MILLIS}`, 1, MAX_TIMER_MILLIS);

/** A number of things: queue sizes, batch sizes. */
export const count = integer('a positive integer', 1, Number.MAX_SAFE_INTEGER);

/** A limit on how many or how long: 0 allowed; the unlimited default is named `no limit`. */
export const limit: ValueKind<number> = {
  ...integer('a non-negative integer', 0, Number.MAX_SAFE_INTEGER),
  show: (n) => (n === Infinity ? 'no limit' : String(n)),
};

/** A TCP port to listen on. */
export const port = integer('an integer from 1 to 65535', 1, 65535);

/** A probability in decimal notation, read the way @dyntel/sampler reads its own. */
export const probability: ValueKind<number> = whole(PROBABILITY_EXPECTED, parseProbability);

/** One of `values`, written exactly. */
export function oneOf<T extends string>(values: readonly T[]): ValueKind<T> {
  return whole(`one of ${values.join(', ')}`, (raw) => (values as readonly string[]).find((v) => v === raw) as T | undefined);
}

const LOG_LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** An OpenTelemetry log level name, in any case. */
export const logLevel: ValueKind<DiagLogLevel> = whole(
  `one of ${Object.keys(LOG_LEVELS).join(', ')}`,
  (raw) => (Object.hasOwn(LOG_LEVELS, raw.toLowerCase()) ? LOG_LEVELS[raw.toLowerCase()] : undefined),
  (level) => Object.keys(LOG_LEVELS).find((name) => LOG_LEVELS[name] === level) ?? String(level),
);

/** An absolute http:// or https:// URL; `example` shows one in the message. */
export function httpUrl(example: string): ValueKind<string> {
  return whole(`an absolute http:// or https:// URL, e.g. ${example}`, (raw) => (isHttpUrl(raw) ? raw : undefined));
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The distinct non-empty items of a comma-separated list. */
function items(raw: string): string[] {
  return [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

/** A comma-separated list of names; whether a name is known is the caller's business. */
export const nameList: ValueKind<string[]> = { expected: 'a comma-separated list of names', parse: (raw) => ({ value: items(raw) }) };

/**
 * A comma-separated list of exporter names from `accepted`; `none` anywhere means no exporter.
 * Unknown names are ignored, the known ones kept.
 */
export function exporterList<T extends string>(accepted: readonly T[]): ValueKind<Exclude<T, 'none'>[]> {
  return {
    expected: `a comma-separated list of ${accepted.join(', ')}`,
    parse: (raw) => {
      const names = items(raw);
      const ignored = names.filter((name) => !(accepted as readonly string[]).includes(name));
      if (names.includes('none')) return { value: [], ignored };
      return { value: names.filter((name) => !ignored.includes(name)) as Exclude<T, 'none'>[], ignored };
    },
    show: (names) => names.join(','),
  };
}

/** W3C-baggage-style `key=value` pairs, values URL-decoded; entries that are not pairs are ignored. */
export const keyValues: ValueKind<Record<string, string>> = {
  expected: 'comma-separated key=value pairs, values URL-encoded',
  parse: (raw) => {
    const value: Record<string, string> = {};
    const ignored: string[] = [];
    for (const entry of raw.split(',')) {
      const eq = entry.indexOf('=');
      const key = eq > 0 ? entry.slice(0, eq).trim() : '';
      if (key === '') {
        if (entry.trim() !== '') ignored.push(entry.trim());
        continue;
      }
      const encoded = entry.slice(eq + 1).trim();
      try {
        value[key] = decodeURIComponent(encoded);
      } catch {
        value[key] = encoded;
      }
    }
    return { value, ignored };
  },
  show: (pairs) => (Object.keys(pairs).length === 0 ? 'no pairs' : Object.keys(pairs).join(', ')),
};
