import { trace } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
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

  // At most maxConcurrency (default 5) concurrent tests run at once. The first five start
  // together: four record a span and wait, the first waits until they have and ends, and only
  // then the sixth starts, running the setup file's beforeEach while the four still run.
  describe.concurrent('concurrent tests', () => {
    const HOLDERS = 4;
    let recorded = 0;
    let allRecorded!: () => void;
    const recordedAll = new Promise<void>((resolve) => (allRecorded = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const recordedAtStart = new Map<string, number>();
    beforeEach(({ task }) => {
      recordedAtStart.set(task.name, recorded);
    });

    it('ends once the others hold telemetry', async () => {
      await recordedAll;
    });

    for (let i = 0; i < HOLDERS; i++) {
      it(`keeps its telemetry while another concurrent test starts (${i})`, async () => {
        tracer.startSpan(`mine-${i}`).end();
        if (++recorded === HOLDERS) allRecorded();
        await released;
        expect(recorder.spans().map((s) => s.name)).toContain(`mine-${i}`);
      });
    }

    it('starts while the others run, and does not reset the buffer under them', ({ task }) => {
      release();
      // Otherwise this test proves nothing: it must have started after the spans were recorded.
      expect(recordedAtStart.get(task.name)).toBe(HOLDERS);
    });
  });
});
