import { describe, expect, it } from 'vitest';
import {
  METRIC_POOL_CONNECTION_COUNT,
  METRIC_POOL_CREATE_TIME,
  METRIC_POOL_IDLE_MAX,
  METRIC_POOL_IDLE_MIN,
  METRIC_POOL_MAX,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_USE_TIME,
  METRIC_POOL_WAIT_TIME,
  EVENT_LIFECYCLE,
  ATTR_POOL_NAME,
} from '@dyntel/semconv';
import { runNode } from '@dyntel/test-support';
import { PACKAGE_NAME as POOL_SCOPE } from '../src/version';
import { FIXTURES } from './support/fixtures';
// The register package's OTLP receiver and its e2e frame, reused rather than copied.
import { logEventsOf, metricNamesOf, otlpReceiver, spansOf } from '../../register/test/support/otlp';
import { useReceiver } from '../../register/test/support/suite';

// An application with no telemetry code borrows from a generic-pool under `node --require
// @dyntel/register` and `--import`: the pool.acquire spans, the pool metrics and its started
// event reach the OTLP receiver.

const receiver = useReceiver(otlpReceiver);

const POOL_METRICS = [
  METRIC_POOL_CONNECTION_COUNT,
  METRIC_POOL_IDLE_MAX,
  METRIC_POOL_IDLE_MIN,
  METRIC_POOL_MAX,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_CREATE_TIME,
  METRIC_POOL_WAIT_TIME,
  METRIC_POOL_USE_TIME,
];

describe.each([
  { flag: '--require', app: 'register-app.cjs' },
  { flag: '--import', app: 'register-app.mjs' },
])('node $flag @dyntel/register $app', ({ flag, app }) => {
  it('exports the acquire spans under the application span, the pool metrics and the started event', async () => {
    const child = await runNode({
      nodeArgs: [flag, '@dyntel/register'],
      script: app,
      cwd: FIXTURES,
      env: { OTEL_SERVICE_NAME: 'dyntel-e2e', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, DYNTEL_AUTO_INSTRUMENTATIONS: 'false' },
    });
    expect({ code: child.code, signal: child.signal, stderr: child.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)?.[1] ?? 'null')).toEqual({ lent: true, used: 1, idle: 1 });
    const received = (path: string) => receiver().received.filter((r) => r.path === path).map((r) => r.body);
    const spans = received('/v1/traces').flatMap(spansOf);
    const parent = spans.find((s) => s.name === 'dyntel-e2e-pool');
    const acquires = spans.filter((s) => s.name.startsWith('pool.acquire'));
    expect(acquires.map((s) => [s.name, s.scope, s.attributes[ATTR_POOL_NAME], s.traceId])).toEqual([
      ['pool.acquire generic-pool-1', POOL_SCOPE, 'generic-pool-1', parent?.traceId],
      ['pool.acquire generic-pool-1', POOL_SCOPE, 'generic-pool-1', parent?.traceId],
    ]);
    const metrics = received('/v1/metrics').flatMap(metricNamesOf);
    for (const metric of POOL_METRICS) expect(metrics).toContain(metric);
    expect(received('/v1/logs').flatMap(logEventsOf)).toContain(EVENT_LIFECYCLE);
  });
});
