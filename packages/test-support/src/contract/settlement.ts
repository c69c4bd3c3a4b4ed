import type { ProbeRecord } from './probe';

/**
 * What the caller of one operation experienced, in terms that compare across two runs (one
 * without instrumentation): identities become labels, library-made values their class, code and message.
 */
export interface Settlement {
  /** What the API returned synchronously. */
  returned: 'the user function’s promise' | 'a native promise' | 'another thenable' | 'a value' | 'nothing: it threw';
  settled: 'resolved' | 'rejected';
  /** The resolution value or the rejection reason. */
  with: unknown;
  /** `this` inside the user function. */
  userThis: 'not called' | 'the receiver' | 'undefined' | 'globalThis' | 'another object';
}

/** Calls `operation`, waits for what it returned to settle, and describes it (only its own user-function calls count). */
export async function settle(operation: () => unknown, record: ProbeRecord): Promise<Settlement> {
  record.forgetCalls();
  let returned: unknown;
  try {
    returned = operation();
  } catch (error) {
    return { returned: 'nothing: it threw', settled: 'rejected', with: label(error, record), userThis: userThis(record) };
  }
  const kind = kindOf(returned, record);
  const [settled, outcome] = await Promise.resolve(returned).then(
    (value) => ['resolved', value] as const,
    (error: unknown) => ['rejected', error] as const,
  );
  return { returned: kind, settled, with: label(outcome, record), userThis: userThis(record) };
}

function kindOf(returned: unknown, record: ProbeRecord): Settlement['returned'] {
  if (returned !== undefined && returned === record.lastPromise()) return 'the user function’s promise';
  if (returned instanceof Promise) return returned.constructor === Promise ? 'a native promise' : 'another thenable';
  if (typeof (returned as { then?: unknown } | null)?.then === 'function') return 'another thenable';
  return 'a value';
}

function label(value: unknown, { probe }: ProbeRecord): unknown {
  if (value === probe.value) return 'the probe’s value';
  if (value === probe.error) return 'the probe’s error';
  if (value instanceof Error) return { class: value.constructor.name, message: value.message, code: (value as { code?: unknown }).code };
  return value;
}

function userThis(record: ProbeRecord): Settlement['userThis'] {
  if (!record.called()) return 'not called';
  const seen = record.lastThis();
  if (seen === record.probe.receiver) return 'the receiver';
  if (seen === undefined) return 'undefined';
  if (seen === globalThis) return 'globalThis';
  return 'another object';
}
