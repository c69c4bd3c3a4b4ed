import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * The lines of a stream, kept, with a way to wait for the first one that matches: the wait
 * resolves on the `line` event itself, never by polling.
 */
export class LineLog {
  readonly lines: string[] = [];
  private readonly waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];

  constructor(stream: Readable) {
    createInterface({ input: stream }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        const match = waiter.pattern.exec(line);
        if (match) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    });
  }

  /** Resolves with the first line (already seen or to come) that matches `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    for (const line of this.lines) {
      const match = pattern.exec(line);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve) => this.waiters.push({ pattern, resolve }));
  }

  /** The lines seen so far that match `pattern`. */
  matching(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line));
  }

  /** Everything seen so far, one line each. */
  toString(): string {
    return this.lines.join('\n');
  }
}
