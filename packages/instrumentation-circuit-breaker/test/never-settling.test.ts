import { expect, it } from 'vitest';
import { runBreakerFixture } from './support/fixtures';

interface NeverSettlingReport {
  bytesPerCall: number;
}

// 100,000 opossum calls with `timeout: false` whose actions never settle and that nothing
// holds (the application dropped them), with spans sampled, in fresh processes with the GC
// exposed. A record, a span and a context kept per call would cost well over a kilobyte each;
// what the instrumentation may keep is fixed (the latest calls it scans first and the
// WeakMap's capacity), a few bytes per call here: the bound allows 100.
it('keeps nothing per call of calls that never settle and that the application dropped', async () => {
  const options = { nodeArgs: ['--expose-gc'], env: { CALLS: '100000' } };
  const [instrumented, baseline] = (await Promise.all([
    runBreakerFixture('never-settling.mjs', options),
    runBreakerFixture('never-settling.mjs', { ...options, env: { ...options.env, BASELINE: '1' } }),
  ])) as unknown as NeverSettlingReport[];

  expect(instrumented!.bytesPerCall - baseline!.bytesPerCall).toBeLessThan(100);
});
