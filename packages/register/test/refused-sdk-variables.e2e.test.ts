import { startNode } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './support/child';
import { otlpReceiver, type OtlpBody } from './support/otlp';
import { useReceiver } from './support/suite';

const receiver = useReceiver(otlpReceiver);

interface LogsBody {
  resourceLogs?: Array<{ scopeLogs?: Array<{ logRecords?: Array<{ attributes?: unknown[] }> }> }>;
}

/** How many attributes each exported log record kept. */
function attributeCounts(body: OtlpBody): number[] {
  return ((body as LogsBody).resourceLogs ?? []).flatMap((rl) => (rl.scopeLogs ?? []).flatMap((sl) => (sl.logRecords ?? []).map((r) => r.attributes?.length ?? 0)));
}

// The NodeSDK reads the log record limits itself, by looser rules than ours (it takes 1e3 and
// 1.5): a value we refuse must not reach it, so that the fallback our line names is what applies.
describe('a log record limit that is refused', () => {
  it.each([
    { value: '1e3', general: '2' },
    { value: '1.5', general: '3' },
  ])('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT=$value: records keep OTEL_ATTRIBUTE_COUNT_LIMIT=$general attributes, as the line says', async ({ value, general }) => {
    const child = startNode({
      nodeArgs: ['--require', '@dyntel/register'],
      script: 'burst.cjs',
      cwd: FIXTURES,
      env: {
        OTEL_SERVICE_NAME: 'dyntel-e2e',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        DYNTEL_AUTO_INSTRUMENTATIONS: 'false',
        OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: value,
        OTEL_ATTRIBUTE_COUNT_LIMIT: general,
        E2E_LOGS: '1',
        E2E_ATTRIBUTES: '5',
      },
    });
    expect(await child.closed).toEqual({ code: 0, signal: null });
    const counts = receiver().received.filter((r) => r.path === '/v1/logs').flatMap((r) => attributeCounts(r.body));
    expect(counts).toEqual([Number(general)]);
    expect(child.stderr.lines).toEqual([
      `@dyntel/register: invalid OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: "${value}"; expected a positive integer; using OTEL_ATTRIBUTE_COUNT_LIMIT`,
    ]);
  });
});
