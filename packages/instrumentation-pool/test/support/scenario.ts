import { microtaskChain } from '@dyntel/test-support';
import { TestFactory, type GenericPoolModule, type Resource } from './generic-pool';

/** What the caller saw of one call: its value or error, and whether the promise was a native one. */
type Seen = string;

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return JSON.stringify(value);
}

/**
 * Runs one fixed sequence of pool calls (acquire with priorities, a full waiting queue, release,
 * destroy, validation on borrow, a failing factory, drain, acquire after drain, clear) and logs,
 * in the order it ran, what each call returned and how and when its promise settled against a
 * chain of microtasks: the same log with and without the instrumentation means it changed
 * nothing the application can see.
 */
export async function poolScenario(genericPool: GenericPoolModule): Promise<Seen[]> {
  const log: Seen[] = [];
  const watch = (label: string, returned: unknown): Promise<unknown> => {
    log.push(`${label} returned ${returned instanceof Promise ? 'a promise' : describeValue(returned)}`);
    const promise = Promise.resolve(returned);
    promise.then(
      (value) => log.push(`${label} resolved ${describeValue(value)}`),
      (error: unknown) => log.push(`${label} rejected ${describeValue(error)}`),
    );
    return promise.catch(() => undefined);
  };
  const factory = new TestFactory();
  const pool = genericPool.createPool(factory, { max: 2, maxWaitingClients: 1, priorityRange: 2, testOnBorrow: true });
  const ticks = microtaskChain(log, 'm', 30);
  const a = (await watch('acquire a', pool.acquire())) as Resource;
  const b = (await watch('acquire b', pool.acquire(1))) as Resource;
  const c = watch('acquire c (queued)', pool.acquire(0));
  await watch('acquire d (queue full)', pool.acquire());
  log.push(`sizes ${pool.size} ${pool.available} ${pool.borrowed} ${pool.pending}`);
  await watch('release a', pool.release(a));
  const cResource = (await c) as Resource;
  await watch('release a again', pool.release(a));
  await watch('destroy b', pool.destroy(b));
  await watch('release c', pool.release(cResource));
  factory.createError = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const e = watch('acquire e (create fails, then succeeds)', pool.acquire());
  await microtaskChain(log, 'k', 3);
  factory.createError = undefined;
  const eResource = (await e) as Resource;
  const drained = watch('drain', pool.drain());
  await watch('acquire after drain', pool.acquire());
  await watch('release e', pool.release(eResource));
  await drained;
  await watch('clear', pool.clear());
  await ticks;
  log.push(`end ${pool.size} ${pool.available} ${pool.borrowed} ${pool.pending} created ${factory.created} destroyed ${factory.destroyed}`);
  return log;
}
