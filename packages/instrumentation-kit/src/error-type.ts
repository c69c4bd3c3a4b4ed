import { ATTR_ERROR_TYPE, OTHER_VALUE } from '@dyntel/semconv';
import { capNameLength, cardinalityGuardFor } from './cardinality';

const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * The contract's `error.type` of a thrown value: the library's error code where it has one
 * (`ETIMEDOUT`, `EOPENBREAKER`), else the error class name (`BrokenCircuitError`), else
 * `_OTHER`. The result is cut to the contract's name length and cardinality-guarded, so a
 * library that invents codes or classes at run time cannot grow the metric series without
 * bound. An error whose `code` or `constructor` getter throws is `_OTHER`.
 */
export function resolveErrorType(error: unknown): string {
  const raw = rawErrorType(error);
  return cardinalityGuardFor(ATTR_ERROR_TYPE).admit(raw === undefined ? undefined : capNameLength(raw)) ?? OTHER_VALUE;
}

function rawErrorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    return codeOrClassName(error);
  } catch {
    return undefined;
  }
}

function codeOrClassName(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && ERROR_CODE.test(code)) return code;
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof className === 'string' && className !== '' && className !== 'Object') return className;
  return undefined;
}
