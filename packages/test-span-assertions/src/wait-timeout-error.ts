/** Why a wait failed. */
export type WaitFailureReason = 'timeout' | 'refuted' | 'impossible';

/**
 * Thrown when a wait times out, a refutation sees its span, or a sequence can no longer
 * complete. The message explains what was recorded instead; `expected` and `actual` hold the
 * pattern and the closest candidate field by field, so test runners can show a diff.
 */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  /** The awaited pattern, one field per line. */
  readonly expected: string;
  /** The closest recorded candidate, the same fields per line (empty when nothing was recorded). */
  readonly actual: string;

  /**
   * `timeout`: nothing matched in time; `refuted`: a refuted span was recorded; `impossible`: the
   * recorded spans can no longer satisfy the wait (an exact sequence that already diverged).
   */
  readonly reason: WaitFailureReason;

  constructor(message: string, expected: string, actual: string, reason: WaitFailureReason = 'timeout') {
    super(message);
    this.expected = expected;
    this.actual = actual;
    this.reason = reason;
  }
}
