import type { TraceState } from '@opentelemetry/api';
import { coreTraceState } from './lazy-packages';
import { HEX_DIGITS, hexDigit } from './threshold';

/** The OpenTelemetry entry of the W3C tracestate. */
export const OT_KEY = 'ot';
/** The specification caps the `ot` value at 256 characters; longer ones are ignored. */
const MAX_OT_LENGTH = 256;

/**
 * Where the `th` and `rv` sub-keys sit inside an `ot` value. One instance is reused for every
 * scan so that reading a parent's tracestate allocates nothing; callers read the fields right
 * after {@link scanOt} and never keep the object.
 */
export interface OtScan {
  /** Offset of the first `th` digit, or -1 when there is no valid `th`. */
  thStart: number;
  /** Number of `th` digits (1 to 14). */
  thLength: number;
  /** Offset of the first `rv` digit, or -1 when there is no valid `rv`. */
  rvStart: number;
}

const scratch: OtScan = { thStart: -1, thLength: 0, rvStart: -1 };

/** Finds valid `th` (1 to 14 hex digits) and `rv` (exactly 14 hex digits) in an `ot` value. */
export function scanOt(ot: string): OtScan {
  scratch.thStart = -1;
  scratch.thLength = 0;
  scratch.rvStart = -1;
  if (ot.length > MAX_OT_LENGTH) return scratch;
  let start = 0;
  while (start < ot.length) {
    let end = ot.indexOf(';', start);
    if (end === -1) end = ot.length;
    // Members are `key:value`; only two-letter keys matter here.
    if (end - start > 3 && ot.charCodeAt(start + 2) === 58 /* : */) {
      const a = ot.charCodeAt(start);
      const b = ot.charCodeAt(start + 1);
      const valueStart = start + 3;
      const length = end - valueStart;
      if (a === 116 /* t */ && b === 104 /* h */ && length <= HEX_DIGITS && allHex(ot, valueStart, end)) {
        scratch.thStart = valueStart;
        scratch.thLength = length;
      } else if (a === 114 /* r */ && b === 118 /* v */ && length === HEX_DIGITS && allHex(ot, valueStart, end)) {
        scratch.rvStart = valueStart;
      }
    }
    start = end + 1;
  }
  return scratch;
}

function allHex(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (hexDigit(s.charCodeAt(i)) === 255) return false;
  return true;
}

/** The `ot` members other than `th`, in their order, joined again. */
function otherMembers(ot: string | undefined): string {
  if (ot === undefined || ot.length > MAX_OT_LENGTH) return '';
  return ot
    .split(';')
    .filter((member) => member !== '' && !member.startsWith('th:'))
    .join(';');
}

/**
 * The tracestate with `ot.th` set to `th`, keeping `rv`, the other `ot` members and every other
 * vendor's entry. `traceState` is the parent's (undefined for a root span).
 */
export function withThreshold(traceState: TraceState | undefined, th: string): TraceState {
  const rest = otherMembers(traceState?.get(OT_KEY));
  const value = rest === '' ? `th:${th}` : `th:${th};${rest}`;
  return (traceState ?? new (coreTraceState())()).set(OT_KEY, value);
}

/**
 * The tracestate without `ot.th`: what a span whose sampling probability is unknown must carry.
 * Returns the same object when there is nothing to erase.
 */
export function withoutThreshold(traceState: TraceState | undefined): TraceState | undefined {
  const ot = traceState?.get(OT_KEY);
  if (traceState === undefined || ot === undefined) return traceState;
  // Nothing to erase, valid or not: the common case, and it must not allocate.
  if (!ot.startsWith('th:') && !ot.includes(';th:')) return traceState;
  const rest = otherMembers(ot);
  return rest === '' ? traceState.unset(OT_KEY) : traceState.set(OT_KEY, rest);
}
