import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROBABILITY_EXPECTED, parseProbability } from '@dyntel/sampler';
import { DiagLogLevel } from '@opentelemetry/api';
import { nodeHttp } from './lazy';
import { redactUrl } from './redact';

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
  /** The raw text as a message may show it, secrets replaced; the text itself by default. */
  redact?(raw: string): string;
  /** Whether `ignored` holds descriptions to print as they are rather than parts of the value to quote. */
  readonly describesIgnored?: boolean;
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

/** A number of things, from 1 to `max`. */
export function count(max: number): ValueKind<number> {
  return integer(`an integer from 1 to ${max}`, 1, max);
}

/** A positive integer without a bound of its own (limits the SDK refuses at 0). */
export const positiveInteger = integer('a positive integer', 1, Number.MAX_SAFE_INTEGER);

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

/** One of `values`, in any case. */
export function oneOfAnyCase<T extends string>(values: readonly T[]): ValueKind<T> {
  return whole(`one of ${values.join(', ')} (any case)`, (raw) => (values as readonly string[]).find((v) => v === raw.toLowerCase()) as T | undefined);
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
  return { ...whole(`an absolute http:// or https:// URL, e.g. ${example}`, (raw) => (isHttpUrl(raw) ? raw : undefined)), redact: redactUrl };
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
 * A comma-separated list of names from `accepted` (exporters, propagators, detectors); `none`
 * anywhere means none at all. Unknown names are ignored, the known ones kept.
 */
export function knownNames<T extends string>(accepted: readonly T[]): ValueKind<Exclude<T, 'none'>[]> {
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

/** A path to a regular file this process may read, relative to the working directory like the OTLP exporters take it. */
export const readableFile: ValueKind<string> = whole('the path of a readable regular file', (raw) => {
  const path = resolve(raw);
  try {
    // A FIFO or a device would block the exporter reading it at start, so only regular files.
    if (!statSync(path).isFile()) return undefined;
    accessSync(path, constants.R_OK);
    return raw;
  } catch {
    return undefined;
  }
});

/** The entries of a comma-separated `name=value` list, by position (1-based), blanks skipped. */
function entries(raw: string): Array<{ position: number; entry: string; eq: number }> {
  return raw
    .split(',')
    .map((entry, index) => ({ position: index + 1, entry: entry.trim(), eq: entry.trim().indexOf('=') }))
    .filter(({ entry }) => entry !== '');
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isHeaderName(name: string): boolean {
  try {
    nodeHttp().validateHeaderName(name);
    return true;
  } catch {
    return false;
  }
}

function isHeaderValue(name: string, value: string): boolean {
  try {
    nodeHttp().validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * OTLP headers: `name=value` pairs, values URL-decoded, checked the way Node's http checks them
 * when it sends a request, so that a bad header is dropped at start instead of failing every
 * export. Values are secrets (tokens): messages name an entry by its position, or a valid
 * header name, never a value.
 */
export const headers: ValueKind<Record<string, string>> = {
  expected: 'comma-separated name=value pairs, values URL-encoded',
  describesIgnored: true,
  parse: (raw) => {
    const value: Record<string, string> = {};
    const ignored: string[] = [];
    for (const { position, entry, eq } of entries(raw)) {
      const name = eq > 0 ? entry.slice(0, eq).trim() : '';
      if (name === '') ignored.push(`entry ${position} (not name=value)`);
      else if (!isHeaderName(name)) ignored.push(`entry ${position} (not a valid HTTP header name)`);
      else if (!isHeaderValue(name, decoded(entry.slice(eq + 1).trim()))) ignored.push(`header ${name} (its value holds characters HTTP refuses)`);
      else value[name] = decoded(entry.slice(eq + 1).trim());
    }
    return { value, ignored };
  },
  show: (pairs) => (Object.keys(pairs).length === 0 ? 'no headers' : Object.keys(pairs).join(', ')),
  redact: (raw) =>
    entries(raw)
      .map(({ entry, eq }) => (eq > 0 && isHeaderName(entry.slice(0, eq).trim()) ? `${entry.slice(0, eq).trim()}=***` : '***'))
      .join(','),
};

// The resource detector's rules (OpenTelemetry resource SDK specification): keys and values at most this long.
const MAX_RESOURCE_TEXT = 255;

/** Why the first bad entry of OTEL_RESOURCE_ATTRIBUTES is bad, or undefined when every entry is usable. */
export function resourceAttributesProblem(raw: string): string | undefined {
  for (const { position, entry } of entries(raw)) {
    const parts = entry.split('=');
    if (parts.length !== 2) return `entry ${position} is not key=value (',' and '=' inside keys or values must be percent-encoded)`;
    const [key, value] = parts.map((part) => part.trim()) as [string, string];
    if (key === '') return `entry ${position} has an empty key`;
    let text: [string, string];
    try {
      text = [decodeURIComponent(key), decodeURIComponent(value)];
    } catch {
      return `entry ${position} is not valid percent-encoding`;
    }
    if (text[0].length > MAX_RESOURCE_TEXT || text[1].length > MAX_RESOURCE_TEXT) return `entry ${position} is longer than ${MAX_RESOURCE_TEXT} characters`;
  }
  return undefined;
}

/**
 * OTEL_RESOURCE_ATTRIBUTES as the SDK's resource detector reads it: one bad entry makes the
 * whole value unusable, as the specification says.
 */
export const resourceAttributes: ValueKind<string> = whole(
  `comma-separated key=value pairs, percent-encoded, keys and values at most ${MAX_RESOURCE_TEXT} characters`,
  (raw) => (resourceAttributesProblem(raw) === undefined ? raw : undefined),
);
