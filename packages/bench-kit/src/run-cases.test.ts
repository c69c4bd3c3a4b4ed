import { describe, expect, it } from 'vitest';
import { runCases } from './run-cases.ts';

// A clock that advances 2 ms per reading: each timed iteration takes exactly 2 ms.
function steppingClock(): () => number {
  let now = 0;
  return () => (now += 2);
}
const fixedTime = () => ({ now: steppingClock(), iterations: 5, time: 0, warmup: false, subtractTimerOverhead: false });

describe('runCases', () => {
  it('reports time per operation, dividing each iteration by its operations', async () => {
    const [single, batch] = await runCases(
      [
        { name: 'single', run: () => 0 },
        { name: 'batch', run: () => 0, opsPerRun: 100, bare: 'single', peer: 'single', configuration: 'sampled' },
      ],
      { bench: fixedTime(), allocationMillis: 0 },
    );
    expect(single).toMatchObject({ name: 'single', nsPerOp: 2e6 });
    expect(batch).toMatchObject({ name: 'batch', nsPerOp: 2e4, bare: 'single', peer: 'single', configuration: 'sampled' });
    expect(single!.allocation).toBeUndefined();
  });

  it('runs set-up before and teardown after each case, allocation counting included', async () => {
    const events: string[] = [];
    let running = false;
    await runCases(
      [
        {
          name: 'a',
          run: () => events.at(-1) !== 'run' && running && events.push('run'),
          setup: () => {
            events.push('setup');
            running = true;
            return () => {
              running = false;
              events.push('teardown');
            };
          },
        },
      ],
      { bench: fixedTime(), allocationMillis: 1 },
    );
    expect(events).toEqual(['setup', 'run', 'teardown']);
  });

  it('counts allocations per case unless told not to', async () => {
    const [result] = await runCases([{ name: 'allocates', run: () => new Array(1000).fill(0) }], { bench: { iterations: 10, time: 0 }, allocationMillis: 20 });
    expect(result!.allocation!.bytesPerOp).toBeGreaterThan(4000);
  });

  it('fails with the case name when a case throws', async () => {
    const failing = () => {
      throw new Error('boom');
    };
    await expect(runCases([{ name: 'broken', run: failing }], { bench: fixedTime() })).rejects.toThrow('broken');
  });
});
