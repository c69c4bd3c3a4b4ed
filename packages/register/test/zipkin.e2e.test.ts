import { describe, expect, it } from 'vitest';
import { FLAVOURS, startApp } from './support/child';
import { zipkinReceiver } from './support/zipkin';
import { useReceiver } from './support/suite';

const receiver = useReceiver(zipkinReceiver);

describe.each(FLAVOURS)('node $flag @dyntel/register $app', ({ flag, app }) => {
  it('sends Zipkin v2 JSON to OTEL_EXPORTER_ZIPKIN_ENDPOINT', async () => {
    const child = await startApp({
      preload: [flag, '@dyntel/register'],
      app,
      env: {
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${receiver().url}/api/v2/spans`,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
        E2E_FLAVOUR: flag,
      },
    });
    await child.get('/work');

    const span = await receiver().waitFor((all) => all.flatMap((r) => r.body).find((s) => s.name === 'dyntel-e2e-work'));
    expect(span).toMatchObject({ localEndpoint: { serviceName: 'dyntel-e2e' }, tags: { 'e2e.flavour': flag } });
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.id).toMatch(/^[0-9a-f]{16}$/);
    const server = await receiver().waitFor((all) => all.flatMap((r) => r.body).find((s) => s.kind === 'SERVER'));
    expect(server.traceId).toBe(span.traceId);
    expect(child.stderr.lines).toEqual([]);
  });
});
