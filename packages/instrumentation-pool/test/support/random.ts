/** A small seeded generator (mulberry32), so that a failing randomised run can be replayed by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets other tasks run: `n` turns of the microtask queue, or one of the event loop when `n` is 0. */
export async function yieldTurns(n: number): Promise<void> {
  if (n === 0) return new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < n; i++) await Promise.resolve();
}
