import { afterAll, afterEach, beforeAll } from 'vitest';
import { ensureBuilt } from './build';
import { type Receiver, stopAllChildren } from '@dyntel/test-support';

/**
 * The common frame of a receiver-based e2e file: build the package if needed and start the
 * receiver once; after each test stop the apps and forget what was received; close at the end.
 * Returns an accessor, valid inside tests.
 */
export function useReceiver<T>(start: () => Promise<Receiver<T>>): () => Receiver<T> {
  let receiver: Receiver<T> | undefined;
  beforeAll(async () => {
    ensureBuilt();
    receiver = await start();
  });
  afterEach(async () => {
    await stopAllChildren();
    if (receiver) receiver.received.length = 0;
  });
  afterAll(() => receiver?.close());
  return () => {
    if (!receiver) throw new Error('the receiver is used outside a test');
    return receiver;
  };
}
