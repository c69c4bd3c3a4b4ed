import { describe, expect, it } from 'vitest';
import { privateSetup } from '../test/support';
import { waitForDomainEvent, waitForDomainSpan, type Recorder, type RecordedEvent, type WaitOptions } from './index';

// A family of its own, written the way a family module adds its waits.
async function waitForOrderShipped(recorder: Recorder, order: string, options?: WaitOptions): Promise<RecordedEvent> {
  return waitForDomainEvent(
    recorder,
    {
      label: 'waitForOrderShipped',
      pattern: { name: 'order.shipped', attributes: { order } },
      expectation: `order ${JSON.stringify(order)} to ship`,
      related: [{ title: 'Other orders shipped', pattern: { name: 'order.shipped' }, describe: (e) => String(e.attributes.order) }],
    },
    options,
  );
}

async function waitForCheckout(recorder: Recorder, order: string, options?: WaitOptions) {
  return waitForDomainSpan(recorder, { label: 'waitForCheckout', pattern: { name: 'checkout', attributes: { order } }, expectation: `the checkout of ${order}` }, options);
}

describe('domain waits', () => {
  it('resolve like the generic waits, on telemetry recorded before or after the call', async () => {
    const { recorder, tracer, logger } = privateSetup();
    logger.emit({ eventName: 'order.shipped', attributes: { order: 'o-1' } });
    await expect(waitForOrderShipped(recorder, 'o-1')).resolves.toMatchObject({ attributes: { order: 'o-1' } });
    const waiting = waitForCheckout(recorder, 'o-2');
    tracer.startSpan('checkout', { attributes: { order: 'o-2' } }).end();
    await expect(waiting).resolves.toMatchObject({ name: 'checkout' });
  });

  it('time out in the family\'s words, with its near misses, pointing at the test', async () => {
    const { recorder, logger } = privateSetup();
    logger.emit({ eventName: 'order.shipped', attributes: { order: 'o-7' } });
    const error = (await waitForOrderShipped(recorder, 'o-1', { timeoutMillis: 10 }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^waitForOrderShipped timed out after 10 ms\.\n\nExpected order "o-1" to ship, i\.e\. an event matching:\n/);
    expect(error.message).toMatch(/\n\nOther orders shipped \(1\):\n {2}- o-7$/);
    expect(error.stack?.split('\n').find((line) => line.startsWith('    at '))).toContain('domain-wait.test.ts');
  });

  it('honour the test scope like every wait', async () => {
    const { recorder, tracer } = privateSetup();
    tracer.startSpan('checkout', { attributes: { order: 'o-3' } }).end();
    await recorder.isolate(async () => {
      await expect(waitForCheckout(recorder, 'o-3', { timeoutMillis: 10 })).rejects.toThrow(/No span has ended in this test scope/);
      await expect(waitForCheckout(recorder, 'o-3', { scope: 'all' })).resolves.toMatchObject({ name: 'checkout' });
    });
  });

  it('reject anything that is not a recorder, naming the wait', async () => {
    await expect(waitForCheckout({} as Recorder, 'o-1')).rejects.toThrow(/^waitForCheckout: invalid recorder: \{\}; expected a Recorder/);
  });
});
