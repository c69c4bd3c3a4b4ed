import { describe, expect, it } from 'vitest';
import {
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPT_COUNT,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  EVENT_RETRY_BACKOFF,
  METRIC_RETRY_ATTEMPT_DURATION,
  METRIC_RETRY_ATTEMPTS,
  METRIC_RETRY_CALL_DURATION,
  METRIC_RETRY_RETRIES,
  RetryOutcome,
} from '@dyntel/semconv';
import { PACKAGE_NAME as RETRY_SCOPE } from '@dyntel/instrumentation-retry';
import { runNode } from '@dyntel/test-support';
import { FIXTURES } from './support/child';
import { logEventsOf, metricNamesOf, otlpReceiver, spansOf, type FlatSpan } from './support/otlp';
import { useReceiver } from './support/suite';

// Retried calls of an application that has no telemetry code, under the register entry: the
// retry instrumentation is in the register list, its spans, metrics and backoff events reach
// the OTLP receiver, and DYNTEL_DISABLED_INSTRUMENTATIONS=retry turns it off. The applications
// wait 0 ms between attempts and end by themselves (the entry flushes before the exit).

const receiver = useReceiver(otlpReceiver);

const RETRY_METRICS = [METRIC_RETRY_CALL_DURATION, METRIC_RETRY_ATTEMPT_DURATION, METRIC_RETRY_ATTEMPTS, METRIC_RETRY_RETRIES];

/** A logical call as the application ran it: its name, outcome and attempts, and the backoffs between them. */
interface Call {
  name: string;
  outcome: RetryOutcome;
  attempts: number;
}

const APPS = [
  {
    flag: '--require',
    app: 'retry-app.cjs',
    libraries: 'async-retry and p-retry 9 (an ES module, through require)',
    result: { fetchInventory: { value: 'in stock' }, reserveStock: { value: 'reserved' }, chargeCard: { error: 'card declined' } },
    calls: [
      { name: 'fetchInventory', outcome: RetryOutcome.SUCCESS, attempts: 2 },
      { name: 'reserveStock', outcome: RetryOutcome.SUCCESS, attempts: 3 },
      { name: 'chargeCard', outcome: RetryOutcome.EXHAUSTED, attempts: 2 },
    ],
  },
  {
    flag: '--import',
    app: 'retry-app.mjs',
    libraries: 'p-retry 9 (ESM only) and async-retry (CommonJS), imported',
    result: { fetchInventory: { value: 'in stock' }, reserveStock: { value: 'reserved' }, chargeCard: { error: 'card declined' } },
    calls: [
      { name: 'fetchInventory', outcome: RetryOutcome.SUCCESS, attempts: 3 },
      { name: 'reserveStock', outcome: RetryOutcome.SUCCESS, attempts: 2 },
      { name: 'chargeCard', outcome: RetryOutcome.EXHAUSTED, attempts: 2 },
    ],
  },
] as const satisfies readonly { flag: string; app: string; libraries: string; result: object; calls: readonly Call[] }[];

/** Runs the application to its end under the register entry; what it printed and what was exported. */
async function run(flag: string, app: string, env: Record<string, string> = {}) {
  const child = await runNode({
    nodeArgs: [flag, '@dyntel/register'],
    script: app,
    cwd: FIXTURES,
    env: { OTEL_SERVICE_NAME: 'dyntel-e2e', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, DYNTEL_AUTO_INSTRUMENTATIONS: 'false', ...env },
  });
  const received = (path: string) => receiver().received.filter((r) => r.path === path).map((r) => r.body);
  return {
    child,
    result: JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)?.[1] ?? 'null') as unknown,
    spans: received('/v1/traces').flatMap(spansOf),
    metrics: received('/v1/metrics').flatMap(metricNamesOf),
    events: received('/v1/logs').flatMap(logEventsOf),
  };
}

// Protobuf integers arrive as Long objects: compared as numbers.
const named = (spans: FlatSpan[], prefix: string) => spans.filter((s) => s.name.startsWith(prefix));

describe.each(APPS)('node $flag @dyntel/register $app: $libraries', ({ flag, app, result, calls }) => {
  it('records every retried call, its attempts and the waits between them, and the application gets what it would have', async () => {
    const { child, ...exported } = await run(flag, app);
    expect({ code: child.code, signal: child.signal, stderr: child.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(exported.result).toEqual(result);

    const parent = exported.spans.find((s) => s.name === 'dyntel-e2e-retries');
    expect(parent).toBeDefined();
    expect(named(exported.spans, 'retry.call ').map((s) => [s.name, s.scope, s.attributes[ATTR_RETRY_OUTCOME], Number(s.attributes[ATTR_RETRY_ATTEMPT_COUNT]), s.traceId])).toEqual(
      calls.map((c) => [`retry.call ${c.name}`, RETRY_SCOPE, c.outcome, c.attempts, parent!.traceId]),
    );
    const attempts = named(exported.spans, 'retry.attempt ').map((s) => [s.attributes[ATTR_RETRY_NAME], Number(s.attributes[ATTR_RETRY_ATTEMPT])]);
    expect(attempts).toEqual(calls.flatMap((c) => Array.from({ length: c.attempts }, (_, i) => [c.name, i + 1])));

    for (const metric of RETRY_METRICS) expect(exported.metrics).toContain(metric);
    // One backoff event before each retry: every attempt but the first of each call.
    expect(exported.events.filter((e) => e === EVENT_RETRY_BACKOFF)).toHaveLength(calls.reduce((n, c) => n + c.attempts - 1, 0));
  });

  it('DYNTEL_DISABLED_INSTRUMENTATIONS=retry: no retry telemetry, the same result, the rest still exported', async () => {
    const { child, ...exported } = await run(flag, app, { DYNTEL_DISABLED_INSTRUMENTATIONS: 'retry' });
    expect({ code: child.code, signal: child.signal, stderr: child.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(exported.result).toEqual(result);
    expect(exported.spans.map((s) => s.name)).toEqual(['dyntel-e2e-retries']);
    expect(exported.metrics.filter((m) => m.startsWith('resilience.retry.'))).toEqual([]);
    expect(exported.events).not.toContain(EVENT_RETRY_BACKOFF);
  });
});
