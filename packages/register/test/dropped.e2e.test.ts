import { startNode } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './support/child';
import { logEventsOf, otlpReceiver, spanNames, type OtlpBody } from './support/otlp';
import { useReceiver } from './support/suite';

const receiver = useReceiver(otlpReceiver);

type KeyValue = { key: string; value: Record<string, unknown> };
interface MetricsBody {
  resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<{ name: string; sum?: { dataPoints?: Array<{ asInt?: unknown; asDouble?: number; attributes?: KeyValue[] }> } }> }> }>;
}

/** The values of the sum `name` whose data point has `error.type` = `errorType`, in every metrics request. */
function valuesWithErrorType(bodies: OtlpBody[], name: string, errorType: string): number[] {
  const values: number[] = [];
  for (const body of bodies) {
    for (const rm of (body as MetricsBody).resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          if (metric.name !== name) continue;
          for (const point of metric.sum?.dataPoints ?? []) {
            const type = point.attributes?.find((a) => a.key === 'error.type')?.value.stringValue;
            // protobufjs decodes int64 as a Long, JSON as a string or number.
            if (type === errorType) values.push(Number(String(point.asInt ?? point.asDouble)));
          }
        }
      }
    }
  }
  return values;
}

const SIGNALS = [
  { signal: 'spans', one: 'span', env: { E2E_SPANS: '3000', OTEL_LOGS_EXPORTER: 'none' }, path: '/v1/traces', variable: 'OTEL_BSP_MAX_QUEUE_SIZE', metric: 'otel.sdk.processor.span.processed' },
  { signal: 'log records', one: 'log record', env: { E2E_LOGS: '3000', OTEL_TRACES_EXPORTER: 'none' }, path: '/v1/logs', variable: 'OTEL_BLRP_MAX_QUEUE_SIZE', metric: 'otel.sdk.processor.log.processed' },
] as const;

// A burst larger than the batch queue (2048 by default) reaches a healthy receiver only in part:
// the processor drops the rest. That is said on one line, and counted in the SDK's own metric.
describe('a burst larger than the queue', () => {
  it.each(SIGNALS)('3,000 $signal at once: one line names how many were dropped and the queue variable, and the metric counts them', async ({ signal, env, path, variable, metric }) => {
    const child = startNode({
      nodeArgs: ['--require', '@dyntel/register'],
      script: 'burst.cjs',
      cwd: FIXTURES,
      env: { OTEL_SERVICE_NAME: 'dyntel-e2e', OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, OTEL_METRIC_EXPORT_INTERVAL: '600000', DYNTEL_AUTO_INSTRUMENTATIONS: 'false', ...env },
    });
    expect(await child.closed).toEqual({ code: 0, signal: null });

    const received = receiver().received;
    const delivered = path === '/v1/traces' ? spanNames(receiver()).length : received.filter((r) => r.path === path).flatMap((r) => logEventsOf(r.body)).length;
    const dropped = 3000 - delivered;
    expect(delivered).toBeGreaterThanOrEqual(2048);
    expect(dropped).toBeGreaterThan(0);
    expect(child.stderr.lines).toEqual([
      `@dyntel/register: ${dropped} ${signal} dropped: the queue of ${signal} waiting for export was full (${variable}=2048), so they were made faster than the receiver took them. Counted in the metric ${metric} with error.type=queue_full; said again at most once a minute.`,
    ]);
    const metrics = received.filter((r) => r.path === '/v1/metrics').map((r) => r.body);
    expect(valuesWithErrorType(metrics, metric, 'queue_full')).toEqual([dropped]);
  });
});
