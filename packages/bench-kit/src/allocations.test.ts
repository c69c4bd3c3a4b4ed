import { describe, expect, it } from 'vitest';
import { countAllocations } from './allocations.ts';

describe('countAllocations', () => {
  it('counts the bytes and collections of what each operation allocates', async () => {
    // 100 operations per run, each allocating an array of 1,000 doubles (8 kB).
    const run = () => {
      for (let i = 0; i < 100; i++) new Array(1000).fill(0.5);
    };
    const { bytesPerOp, gcsPerMillionOps } = await countAllocations(run, 500, 100);
    expect(bytesPerOp).toBeGreaterThan(7_000);
    expect(bytesPerOp).toBeLessThan(20_000);
    expect(gcsPerMillionOps).toBeGreaterThan(0);
  });

  it('finds next to nothing where nothing is allocated', async () => {
    let sink = 0;
    const { bytesPerOp, gcsPerMillionOps } = await countAllocations(() => (sink += 1), 1_000_000);
    expect(bytesPerOp).toBeLessThan(1);
    expect(gcsPerMillionOps).toBe(0);
    expect(sink).toBe(1_000_000);
  });

  it('awaits runs that return a promise before counting the next', async () => {
    let settled = 0;
    await countAllocations(async () => {
      await Promise.resolve();
      settled++;
    }, 10);
    expect(settled).toBe(10);
  });
});
