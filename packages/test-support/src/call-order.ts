// Telemetry may not move the caller's callbacks by a single microtask. These helpers log, in the
// order it runs, what a call does (the case logs its own steps), `then`/`catch`/`finally` on the
// promise it returned, and chains of microtasks queued before and after the call, so that a log
// with the instrumentation can be compared with the log without it.

/** Queues a chain of `length` microtasks, each logging its step (`m1`, `m2`…). */
export function microtaskChain(log: string[], label: string, length: number): Promise<void> {
  let p = Promise.resolve();
  for (let i = 1; i <= length; i++) p = p.then(() => void log.push(`${label}${i}`));
  return p;
}

/** A case: makes one call, logging its own steps into `log`, and returns the promise the caller gets. */
export type OrderCase = (log: string[]) => Promise<unknown>;

/** What runs, in order, around one call made by `call`. */
export async function orderOf(call: OrderCase): Promise<string[]> {
  const log: string[] = [];
  process.nextTick(() => log.push('nextTick'));
  queueMicrotask(() => log.push('queueMicrotask'));
  const before = microtaskChain(log, 'm', 8);
  const returned = call(log);
  log.push('returned');
  const after = microtaskChain(log, 'n', 8);
  const handled = returned.then(() => log.push('then'), () => log.push('catch')).then(() => log.push('then2'));
  returned.finally(() => log.push('finally')).catch(() => {});
  await Promise.all([before, after, handled]);
  // The next case starts only once this one's nextTick ran: each log holds its own case alone.
  await new Promise((resolve) => setImmediate(resolve));
  return log;
}

/** The logs of every case, one case at a time. */
export async function ordersOf(cases: Record<string, OrderCase>): Promise<Record<string, string[]>> {
  const orders: Record<string, string[]> = {};
  for (const [name, call] of Object.entries(cases)) orders[name] = await orderOf(call);
  return orders;
}
