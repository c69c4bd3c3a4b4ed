/**
 * Deterministic trace ids for statistical tests: a splitmix64-style generator, so every run
 * sees the same ids and the same decisions.
 */
export class SeededIds {
  private state: bigint;

  constructor(seed: number) {
    this.state = BigInt(seed) & 0xffffffffffffffffn;
  }

  private next64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  }

  /** A 32-hex-digit trace id. */
  traceId(): string {
    return this.next64().toString(16).padStart(16, '0') + this.next64().toString(16).padStart(16, '0');
  }

  /** A 16-hex-digit span id. */
  spanId(): string {
    return this.next64().toString(16).padStart(16, '0');
  }

  /** A 14-hex-digit explicit randomness value for `ot=rv:`. */
  randomness(): string {
    return (this.next64() >> 8n).toString(16).padStart(14, '0');
  }
}
