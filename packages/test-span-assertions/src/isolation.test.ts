import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installRecorder, uninstallRecorder } from './index';

const recorder = installRecorder({ timeoutMillis: 5_000 });
const tracer = trace.getTracer('isolation');
let server: Server;
let port: number;

// Created outside any test scope: a handler only knows the scope from the baggage header,
// exactly like a server span created by the HTTP instrumentation.
beforeAll(async () => {
  server = createServer((req, res) => {
    const ctx = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan('GET /echo', { kind: SpanKind.SERVER, attributes: { who: String(req.headers['x-who']) } }, ctx);
    res.end('ok', () => span.end());
  });
  server.listen(0);
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  await uninstallRecorder();
});

/** An HTTP call that carries the active context's trace and baggage headers. */
async function call(who: string): Promise<void> {
  const headers: Record<string, string> = { 'x-who': who };
  propagation.inject(context.active(), headers);
  const req = request({ port, path: '/echo', headers });
  req.end();
  const [res] = (await once(req, 'response')) as [NodeJS.ReadableStream];
  res.resume();
  await once(res, 'end');
}

/** Resolves when `n` callers have arrived, so that concurrent tests interleave for sure. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === n) open();
    return opened;
  };
}

const WORKERS = ['alpha', 'beta', 'gamma'];
const allStarted = barrier(WORKERS.length);

describe('per-test isolation under test.concurrent', () => {
  for (const who of WORKERS) {
    test.concurrent(`${who} sees only its own telemetry`, () =>
      recorder.isolate(async () => {
        const span = tracer.startSpan('work', { attributes: { who } });
        await allStarted(); // every test has started its span before any ends one
        await call(who);
        setImmediate(() => span.end());
        const own = await recorder.waitForSpan('work');
        expect(own.attributes.who).toBe(who);
        const served = await recorder.waitForSpan({ kind: 'server', name: 'GET /echo' });
        expect(served.attributes.who).toBe(who);
        expect(recorder.spans().map((s) => s.attributes.who)).toEqual([who, who]);
        // Outside the scope option, everything is visible.
        expect(recorder.spans({ scope: 'all' }).length).toBeGreaterThanOrEqual(2);
      }, who),
    );
  }

  test.concurrent('a wait explains matches that belong to another test scope', () =>
    recorder.isolate(async () => {
      recorder.isolate(() => tracer.startSpan('someone-else').end());
      const error = await recorder.waitForSpan('someone-else', { timeoutMillis: 20 }).catch((e: Error) => e);
      expect(String(error)).toMatch(/Matching spans outside this test's scope \(1\); they were caused by other code:\n {2}- "someone-else" \(scope "\d+"\)/);
      await expect(recorder.waitForSpan('someone-else', { scope: 'all' })).resolves.toBeDefined();
    }),
  );
});
