import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { privateSetup } from '../test/support';

describe('under vi.useFakeTimers()', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a wait still times out on the real clock', async () => {
    const { recorder } = privateSetup();
    await expect(recorder.waitForSpan('never', { timeoutMillis: 30 })).rejects.toThrow(/timed out after 30 ms/);
  });

  it('a wait times out on the real clock when Vitest fakes node:timers too', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const { recorder } = privateSetup();
    await expect(recorder.waitForSpan('never', { timeoutMillis: 30 })).rejects.toThrow(/timed out after 30 ms/);
  });

  it('a wait times out on the real clock when the recorder is loaded under fake timers', async () => {
    vi.resetModules();
    const { createRecorder } = await import('./index');
    await expect(createRecorder().waitForSpan('never', { timeoutMillis: 30 })).rejects.toThrow(/timed out after 30 ms/);
  });

  it('a timer-driven event resolves the wait when the test advances fake time', async () => {
    const { recorder, logger } = privateSetup();
    // e.g. a breaker half-opening after its reset timeout
    setTimeout(() => logger.emit({ eventName: 'half_open' }), 10_000);
    const waiting = recorder.waitForEvent('half_open', { timeoutMillis: 1_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(waiting).resolves.toMatchObject({ name: 'half_open' });
  });

  it('advancing fake time does not time a wait out', async () => {
    const { recorder, tracer } = privateSetup();
    const waiting = recorder.waitForSpan('later', { timeoutMillis: 1_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    tracer.startSpan('later').end();
    await expect(waiting).resolves.toBeDefined();
  });
});
