/**
 * Deterministic ids for statistical tests (xorshift128 on 32-bit words), so that every run
 * sees the same ids and therefore the same decisions: the statistics are checked once, not
 * re-rolled on every run.
 */
export class SeededIds {
  private x: number;
  private y = 362436069;
  private z = 521288629;
  private w = 88675123;

  constructor(seed: number) {
    this.x = seed >>> 0 || 123456789;
    // Discard the first outputs, which still resemble the seed.
    for (let i = 0; i < 16; i++) this.next();
  }

  /** The next 32 random bits. */
  next(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = (this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.w;
  }

  private hex(words: number): string {
    let out = '';
    for (let i = 0; i < words; i++) out += this.next().toString(16).padStart(8, '0');
    return out;
  }

  /** A 32-hex-digit trace id. */
  traceId(): string {
    return this.hex(4);
  }

  /** A 16-hex-digit span id. */
  spanId(): string {
    return this.hex(2);
  }

  /** A 14-hex-digit explicit randomness value for `ot=rv:`. */
  randomness(): string {
    return this.hex(2).slice(2);
  }
}
