import { trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import './vitest-setup';
import { installRecorder, uninstallRecorder } from './index';

// The setup file installed the global recorder; installRecorder() hands back the same one.
const recorder = installRecorder();
const tracer = trace.getTracer('setup-test');
afterAll(() => uninstallRecorder());

describe('vitest-setup', () => {
  it('leaves telemetry behind', async () => {
    tracer.startSpan('leftover').end();
    await expect(recorder).toEmitSpan('leftover');
  });

  it('starts the next test with an empty recorder', () => {
    expect(recorder.spans()).toEqual([]);
  });

  describe.concurrent('concurrent tests', () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));

    it('keeps its telemetry while another concurrent test starts', async () => {
      tracer.startSpan('mine').end();
      await released;
      expect(recorder.spans().map((s) => s.name)).toContain('mine');
    });

    it('does not reset the buffer under a running test', () => {
      release();
    });
  });
});
