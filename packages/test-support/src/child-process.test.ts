import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NODE22, runNode, startNode, stopAllChildren } from './child-process';
import { runFixture } from './child-report';

const CHILD = fileURLToPath(new URL('../test/fixtures/child.mjs', import.meta.url));

describe('the child-process runner', () => {
  afterEach(async () => {
    vi.unstubAllEnvs();
    await stopAllChildren();
  });

  it('starts the child with a clean environment plus what the caller passes, and parses its RESULT line', async () => {
    vi.stubEnv('NODE_OPTIONS', '--no-warnings');
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    vi.stubEnv('DYNTEL_SAMPLER_PROBABILITY', '0');
    const report = await runFixture({ script: CHILD, args: ['report'], env: { DYNTEL_ASKED_FOR: '1' } });
    expect(report).toEqual({ spans: [], events: [], points: [], leaked: ['DYNTEL_ASKED_FOR'], node: process.versions.node });
  });

  it('runs on the Node 22 binary when asked', async () => {
    const report = await runFixture({ script: CHILD, args: ['report'], node: NODE22 });
    expect(report.node).toMatch(/^22\./);
  });

  it('resolves on close, with the lines written after the child exited by what still held its output', async () => {
    const run = await runNode({ script: CHILD, args: ['outlived'] });
    expect(run).toMatchObject({ code: 0, stderr: 'written after the child exited' });
  });

  it('rejects a fixture that fails with its exit code and output', async () => {
    await expect(runFixture({ script: CHILD, args: ['fail'] })).rejects.toThrow(/child\.mjs exited with 3 without a RESULT line\nstdout:\n\nstderr:\nasked to fail/);
  });

  it('keeps a long-running child until it is stopped, and reports how it ended', async () => {
    const child = startNode({ script: CHILD, args: ['serve'] });
    await child.stdout.waitFor(/^READY$/);
    // The child handles SIGTERM itself and ends normally once nothing keeps it alive.
    expect(await child.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(child.stdout.lines).toEqual(['READY', 'STOPPING']);
  });

  it('stops every child still running', async () => {
    const child = startNode({ script: CHILD, args: ['serve'] });
    await child.stdout.waitFor(/^READY$/);
    await stopAllChildren();
    expect(await child.closed).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('rejects when the binary cannot be started', async () => {
    await expect(startNode({ script: CHILD, node: '/nonexistent/node' }).closed).rejects.toThrow(/ENOENT/);
  });
});
