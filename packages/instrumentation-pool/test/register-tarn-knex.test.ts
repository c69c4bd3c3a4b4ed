import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTR_ERROR_TYPE, ATTR_LIFECYCLE_STATE, ATTR_POOL_NAME, EVENT_LIFECYCLE, METRIC_POOL_TIMEOUTS, METRIC_POOL_WAIT_TIME } from '@dyntel/semconv';
import { runNode, startPostgres, type PostgresServer } from '@dyntel/test-support';
import { PACKAGE_NAME as POOL_SCOPE } from '../src/version';
import { FIXTURES } from './support/fixtures';
import { derivedName } from './support/knex';
// The register package's OTLP receiver and its e2e frame, reused rather than copied.
import { logEventsOf, metricNamesOf, otlpReceiver, spansOf } from '../../register/test/support/otlp';
import { useReceiver } from '../../register/test/support/suite';

// An application with no telemetry code uses tarn, then knex on a real PostgreSQL, under
// `node --require @dyntel/register` and `--import`: the pool.acquire spans of both pools (the
// knex one named host:port/database), the timeout, and their lifecycle events reach the OTLP
// receiver, and the password never does.

const receiver = useReceiver(otlpReceiver);

interface LogsBody {
  resourceLogs?: { scopeLogs?: { logRecords?: { eventName?: string; attributes?: { key: string; value?: Record<string, unknown> }[] }[] }[] }[];
}

/** The pool name and state of each lifecycle log record of an ExportLogsServiceRequest. */
function lifecycleOf(body: unknown): [unknown, unknown][] {
  const records = ((body as LogsBody).resourceLogs ?? []).flatMap((rl) => (rl.scopeLogs ?? []).flatMap((sl) => sl.logRecords ?? []));
  return records
    .filter((record) => record.eventName === EVENT_LIFECYCLE)
    .map((record) => {
      const attributes = Object.fromEntries((record.attributes ?? []).map(({ key, value }) => [key, Object.values(value ?? {})[0]]));
      return [attributes[ATTR_POOL_NAME], attributes[ATTR_LIFECYCLE_STATE]];
    });
}
let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop());

describe.each([
  { flag: '--require', app: 'register-tarn-knex.cjs' },
  { flag: '--import', app: 'register-tarn-knex.mjs' },
])('node $flag @dyntel/register $app', ({ flag, app }) => {
  it('exports both pools\' acquire spans under the application spans, the timeout and the lifecycle events', async () => {
    const { host, port, user, password, database } = server;
    const child = await runNode({
      nodeArgs: [flag, '@dyntel/register'],
      script: app,
      cwd: FIXTURES,
      env: {
        OTEL_SERVICE_NAME: 'dyntel-e2e',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url,
        DYNTEL_AUTO_INSTRUMENTATIONS: 'false',
        PGHOST: host,
        PGPORT: String(port),
        PGUSER: user,
        PGPASSWORD: password,
        PGDATABASE: database,
      },
    });
    expect({ code: child.code, signal: child.signal, stderr: child.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)?.[1] ?? 'null')).toEqual({ timedOut: true, rows: [{ n: 1 }] });
    const received = (path: string) => receiver().received.filter((r) => r.path === path).map((r) => r.body);
    const spans = received('/v1/traces').flatMap(spansOf);
    const traceOf = (name: string) => spans.find((s) => s.name === name)?.traceId;
    const knexPool = derivedName(server);
    expect(spans.filter((s) => s.name.startsWith('pool.acquire')).map((s) => [s.name, s.scope, s.attributes[ATTR_POOL_NAME], s.attributes[ATTR_ERROR_TYPE], s.traceId])).toEqual([
      ['pool.acquire tarn-1', POOL_SCOPE, 'tarn-1', undefined, traceOf('dyntel-e2e-tarn')],
      ['pool.acquire tarn-1', POOL_SCOPE, 'tarn-1', 'TimeoutError', traceOf('dyntel-e2e-tarn')],
      [`pool.acquire ${knexPool}`, POOL_SCOPE, knexPool, undefined, traceOf('dyntel-e2e-knex')],
    ]);
    const metrics = received('/v1/metrics').flatMap(metricNamesOf);
    expect(metrics).toEqual(expect.arrayContaining([METRIC_POOL_WAIT_TIME, METRIC_POOL_TIMEOUTS]));
    expect(received('/v1/logs').flatMap(logEventsOf).filter((e) => e === EVENT_LIFECYCLE)).toHaveLength(4);
    expect(received('/v1/logs').flatMap(lifecycleOf)).toEqual([
      ['tarn-1', 'started'],
      ['tarn-1', 'stopped'],
      [knexPool, 'started'],
      [knexPool, 'stopped'],
    ]);
    expect(JSON.stringify(receiver().received)).not.toContain(password);
  });
});
