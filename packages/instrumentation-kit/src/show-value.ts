/** Longest part of a value a diagnostic shows; the rest is counted, not printed. */
export const SHOWN_VALUE_LIMIT = 200;
// Longest other part of a message (what is expected, what happens now); written by us, cut all the same.
const MESSAGE_PART_LIMIT = 1_000;

// Characters that would move the cursor, forge a line or reorder text on a terminal, beyond
// what JSON.stringify already escapes (C0 controls, quotes, backslashes).
const UNSAFE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex -- escaping control characters is the point
const CONTROL = /[\u0000-\u001f]/g;

function escapeCode(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, escapeCode);
}

function cut(text: string, limit: number): { text: string; rest: number } {
  return text.length <= limit ? { text, rest: 0 } : { text: text.slice(0, limit), rest: text.length - limit };
}

/**
 * A value as a diagnostic shows it: on one line, control and bidirectional characters
 * escaped, strings quoted, at most `limit` characters of it with the length of the rest
 * stated, so that a hostile or huge value cannot forge log lines or flood the terminal.
 */
export function showValue(value: unknown, limit: number = SHOWN_VALUE_LIMIT): string {
  if (typeof value === 'string') {
    const { text, rest } = cut(value, limit);
    return escapeUnsafe(JSON.stringify(text)) + (rest > 0 ? `…(${rest} more characters)` : '');
  }
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol' || value instanceof RegExp) return showText(String(value), limit);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return showText(objectText(value), limit);
}

/**
 * Text a diagnostic carries that is not a value but may still come from outside (a field path
 * from a user's document, a parser's or engine's error text): on one line, control and
 * bidirectional characters escaped, cut to `limit` characters. Not quoted.
 */
export function escapeText(text: string, limit: number = MESSAGE_PART_LIMIT): string {
  return showText(text, limit);
}

function showText(raw: string, limit: number): string {
  const { text, rest } = cut(raw, limit);
  return escapeUnsafe(text.replace(CONTROL, escapeCode)) + (rest > 0 ? `…(${rest} more characters)` : '');
}

function objectText(value: object): string {
  const className = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof className === 'string' && className !== '' && className !== 'Object') return `a ${className}`;
  try {
    return JSON.stringify(value) ?? 'an object';
  } catch {
    return 'an object';
  }
}
