import { expect, it } from 'vitest';
import { assertBuilt, runNode, withTelemetry } from '@dyntel/test-support';
import { FIXTURES } from './support/fixtures';

// The acquire promises generic-pool rejects at once are the caller's alone: the
// instrumentation never observes them, so one nobody handles still crashes the process with
// Node's own report, exactly as without it.

it('an unhandled acquire rejection crashes the process the same way, instrumented or not', async () => {
  assertBuilt('@dyntel/instrumentation-pool');
  const child = { script: 'unhandled-acquire.cjs', cwd: FIXTURES };
  const bare = await runNode(child);
  const instrumented = await runNode(withTelemetry({ module: '@dyntel/instrumentation-pool', exportName: 'PoolInstrumentation', loader: '--require' }, child));
  const seen = (run: typeof bare) => ({ code: run.code, signal: run.signal, report: run.stderr.split('\n').filter((line) => /Error|throw/.test(line)) });
  expect(seen(bare)).toMatchObject({ code: 1, signal: null });
  expect(seen(bare).report.join('\n')).toContain('pool is draining and cannot accept work');
  expect(seen(instrumented)).toEqual(seen(bare));
});
