import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { createRecorder } from './index';

const ACCEPTED = 'expected a number of milliseconds > 0 and <= 2147483647, or Infinity for no timeout';

describe('timeoutMillis', () => {
  it('rejects what a timer cannot wait for, instead of timing out at once', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForSpan('x', { timeoutMillis: 2 ** 31 })).rejects.toThrow(
      new TypeError(`waitForSpan: invalid timeoutMillis: 2147483648; ${ACCEPTED}`),
    );
    for (const bad of [1e10, NaN, -Infinity, -1, 0, '100']) {
      await expect(recorder.waitForEvent('x', { timeoutMillis: bad as number }), String(bad)).rejects.toThrow(
        new TypeError(`waitForEvent: invalid timeoutMillis: ${typeof bad === 'string' ? JSON.stringify(bad) : bad}; ${ACCEPTED}`),
      );
    }
    await expect(recorder.waitForMetric('m', { timeoutMillis: 2 ** 31 })).rejects.toThrow(TypeError);
    await expect(recorder.refuteSpan('x', { timeoutMillis: 2 ** 31 })).rejects.toThrow(TypeError);
  });

  it('checks the option also when the wait is already satisfied', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('done').end();
    await expect(recorder.waitForSpan('done', { timeoutMillis: 2 ** 31 })).rejects.toThrow(TypeError);
  });

  it("checks the recorder's default the same way", () => {
    expect(() => createRecorder({ timeoutMillis: 2 ** 31 })).toThrow(new TypeError(`createRecorder: invalid timeoutMillis: 2147483648; ${ACCEPTED}`));
    expect(() => createRecorder({ timeoutMillis: Number.NaN })).toThrow(TypeError);
  });

  it('the largest timer delay and Infinity wait for the telemetry', async () => {
    const { recorder, tracer } = privateSetup();
    const longest = recorder.waitForSpan('late', { timeoutMillis: 2 ** 31 - 1 });
    const endless = recorder.waitForSpan('late', { timeoutMillis: Infinity });
    let settled = false;
    void Promise.race([longest, endless]).finally(() => (settled = true));
    // A short wait that fails first: by then an overflowing timer would have fired long ago.
    await expect(recorder.waitForSpan('never', { timeoutMillis: 20 })).rejects.toThrow(/timed out after 20 ms/);
    expect(settled).toBe(false);
    tracer.startSpan('late').end();
    await expect(Promise.all([longest, endless])).resolves.toHaveLength(2);
  });

  it('names the renamed option timeout', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForSpan('x', { timeout: 2 ** 31 } as never)).rejects.toThrow(
      new TypeError('waitForSpan: invalid option: "timeout"; expected timeoutMillis (the option was renamed)'),
    );
    expect(() => createRecorder({ timeout: 10 } as never)).toThrow(TypeError);
  });
});
