import { expect, it } from 'vitest';
import { runBreakerFixture } from './support/fixtures';

it('the status metric forgets breakers the application dropped once they are garbage-collected', async () => {
  const report = await runBreakerFixture('status-gc.mjs', { nodeArgs: ['--expose-gc'] });
  expect(report.before).toEqual({ 'dropped-breaker': 1, 'dropped-policy': 1, kept: 1 });
  // The SDK keeps exporting a series it has seen; a dropped breaker's goes to 0, not stays at 1.
  expect(report.after).toEqual({ 'dropped-breaker': 0, 'dropped-policy': 0, kept: 1 });
});
