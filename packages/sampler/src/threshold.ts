/**
 * Rejection thresholds of OpenTelemetry consistent probability sampling: a span is kept when
 * its 56-bit randomness R is at least the threshold T = (1 - p) * 2^56. Thresholds are built
 * once, at configuration time (BigInt is fine there); the hot path only compares hex digits.
 */

/** 2^56, the number of distinct randomness values (7 bytes). */
const RANDOMNESS_SPACE = 2 ** 56;
const MAX_THRESHOLD = 1n << 56n;
/** The number of hex digits in R and in a fully written T. */
export const HEX_DIGITS = 14;
/** Precision (hex digits) the specification recommends to SDKs by default. */
export const DEFAULT_PRECISION = 4;
/** A precision at or above this value encodes the exact 56-bit threshold, as sampler-composite does. */
export const FULL_PRECISION = 14;

/** A rejection threshold with everything the decision and the output need, precomputed. */
export class Threshold {
  /** The `th` sub-key value: hex digits without trailing zeros (`0` for 100%). */
  readonly th: string;
  /** The threshold as 14 hex digit values, most significant first, for allocation-free comparison. */
  readonly digits: Uint8Array;
  /** The exact 56-bit threshold. */
  readonly value: bigint;
  /** The sampling probability this threshold actually applies (`(2^56 - T) / 2^56`). */
  readonly probability: number;
  /** The adjusted count of a span sampled at this threshold (`1 / probability`). */
  readonly adjustedCount: number;

  constructor(th: string) {
    this.th = th;
    const padded = th.padEnd(HEX_DIGITS, '0');
    this.value = BigInt(`0x${padded}`);
    this.digits = new Uint8Array(HEX_DIGITS);
    for (let i = 0; i < HEX_DIGITS; i++) this.digits[i] = hexDigit(padded.charCodeAt(i));
    this.probability = Number(MAX_THRESHOLD - this.value) / RANDOMNESS_SPACE;
    this.adjustedCount = 1 / this.probability;
  }
}

/** The value of one lowercase or uppercase hex digit; 255 for anything else. */
export function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return 255;
}

/**
 * `R >= T` where R is the 14 hex digits of `source` starting at `offset` (the tail of a trace
 * id or an `rv` value) and T is `threshold`. Stops at the first differing digit, so a typical
 * decision reads one or two characters and allocates nothing.
 */
export function randomnessReaches(source: string, offset: number, threshold: Uint8Array): boolean {
  for (let i = 0; i < HEX_DIGITS; i++) {
    const r = hexDigit(source.charCodeAt(offset + i));
    const t = threshold[i]!;
    if (r !== t) return r > t;
  }
  return true;
}

/**
 * Like {@link randomnessReaches} with T given as a `th` value inside a string (`length` digits
 * from `thOffset`, right-padded with zeros), read from a parent's tracestate without copying.
 */
export function randomnessReachesEncoded(
  source: string,
  offset: number,
  encoded: string,
  thOffset: number,
  length: number,
): boolean {
  for (let i = 0; i < HEX_DIGITS; i++) {
    const r = hexDigit(source.charCodeAt(offset + i));
    const t = i < length ? hexDigit(encoded.charCodeAt(thOffset + i)) : 0;
    if (r !== t) return r > t;
  }
  return true;
}

/** The probability a `th` value (1 to 14 hex digits) stands for. */
export function thresholdProbability(th: string): number {
  return Number(MAX_THRESHOLD - BigInt(`0x${th.padEnd(HEX_DIGITS, '0')}`)) / RANDOMNESS_SPACE;
}

/** The smallest probability the specification defines (one randomness value in 2^56). */
export const MIN_PROBABILITY = 2 ** -56;

/**
 * Encodes probability `p` (2^-56 to 1) as a `th` value with `precision` significant hex
 * digits, following the specification's algorithm: precision grows with the number of
 * leading `f` digits so that small probabilities keep their relative accuracy, and the last
 * digit is rounded half up. Precision 14 gives the exact `2^56 - round(p * 2^56)`.
 */
export function encodeProbability(p: number, precision: number = DEFAULT_PRECISION): string {
  if (p === 1) return '0';
  if (precision >= FULL_PRECISION) {
    return stripTrailingZeros((MAX_THRESHOLD - BigInt(Math.round(p * RANDOMNESS_SPACE))).toString(16).padStart(HEX_DIGITS, '0'));
  }
  const digitsWanted = Math.max(1, Math.min(12, precision + Math.floor(binaryExponent(p) / -4)));
  // 2 - p lies in [1, 2): its 52 fraction bits are the first 13 hex digits of T. Adding half
  // of the last kept digit before truncating rounds half up.
  const rejection = 2 - p + 2 ** (-4 * digitsWanted - 1);
  const fraction =
    rejection >= 2 ? 'fffffffffffff' : BigInt((rejection - 1) * 2 ** 52).toString(16).padStart(13, '0');
  return stripTrailingZeros(fraction.slice(0, digitsWanted));
}

function stripTrailingZeros(hex: string): string {
  let end = hex.length;
  while (end > 0 && hex.charCodeAt(end - 1) === 48) end--;
  return end === 0 ? '0' : hex.slice(0, end);
}

/** The exponent e with p = m * 2^e and m in [0.5, 1), as C's frexp gives it. */
function binaryExponent(p: number): number {
  let e = Math.floor(Math.log2(p)) + 1;
  // Math.log2 may be off by one ulp around powers of two.
  while (2 ** (e - 1) > p) e--;
  while (2 ** e <= p) e++;
  return e;
}
