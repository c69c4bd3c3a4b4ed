export { seededRandom } from '@dyntel/bench-kit';

/** Lets other tasks run: `n` turns of the microtask queue, or one of the event loop when `n` is 0. */
export async function yieldTurns(n: number): Promise<void> {
  if (n === 0) return new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < n; i++) await Promise.resolve();
}
