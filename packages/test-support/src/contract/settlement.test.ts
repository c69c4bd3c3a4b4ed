import { describe, expect, it } from 'vitest';
import { createProbe } from './probe';
import { settle } from './settlement';

describe('settle', () => {
  it('labels the probe’s own value, promise and receiver', async () => {
    const record = createProbe();
    const { probe } = record;
    expect(await settle(() => probe.succeed.call(probe.receiver), record)).toEqual({
      returned: 'the user function’s promise',
      settled: 'resolved',
      with: 'the probe’s value',
      userThis: 'the receiver',
    });
  });

  it('tells a new native promise and a library error from the probe’s', async () => {
    const record = createProbe();
    const { fail } = record.probe;
    const operation = () => fail().catch(() => Promise.reject(Object.assign(new RangeError('open'), { code: 'EOPEN' })));
    expect(await settle(operation, record)).toEqual({
      returned: 'a native promise',
      settled: 'rejected',
      with: { class: 'RangeError', message: 'open', code: 'EOPEN' },
      userThis: 'undefined',
    });
  });

  it('describes a synchronous value, a throw, and an operation that never called the user function', async () => {
    const record = createProbe();
    await record.probe.succeed();
    expect(await settle(() => 42, record)).toEqual({ returned: 'a value', settled: 'resolved', with: 42, userThis: 'not called' });
    const thrown = await settle(() => {
      throw record.probe.error;
    }, record);
    expect(thrown).toEqual({ returned: 'nothing: it threw', settled: 'rejected', with: 'the probe’s error', userThis: 'not called' });
  });

  it('runs the teardowns once', () => {
    const record = createProbe();
    let ended = 0;
    record.probe.onEnd(() => ended++);
    record.end();
    record.end();
    expect(ended).toBe(1);
  });
});
