import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stopAllChildren } from '@dyntel/test-support';
import { ensureBuilt } from './support/build';
import { FLAVOURS, prometheusOnly, startApp } from './support/child';

// The Node.js runtime's metrics come from upstream's runtime instrumentation, created by the
// register entry itself, never by auto-instrumentations-node (installed here): so that
// DYNTEL_RUNTIME_METRICS=false turns them off, and no GC is recorded twice.
const RUNTIME_SCOPE = 'otel_scope_name="@opentelemetry/instrumentation-runtime-node"';

beforeAll(() => ensureBuilt());
afterAll(() => stopAllChildren());

/** Starts the e2e app with metrics on a Prometheus endpoint and returns the samples of its first scrape. */
async function scrape(flag: string, app: string, env: Record<string, string>): Promise<string[]> {
  const port = await freePort();
  const child = await startApp({ preload: [flag, '@dyntel/register'], app, env: { ...prometheusOnly(port), ...env } });
  await child.get('/work');
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  await child.stop();
  expect(child.stderr.lines).toEqual([]);
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** The samples of `metric` (its name followed by labels or a space). */
function samples(lines: string[], metric: string): string[] {
  return lines.filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));
}

describe.each(FLAVOURS)('node $flag @dyntel/register', ({ flag, app }) => {
  it('reports the event loop and the heap by default, with auto-instrumentations-node installed', async () => {
    const lines = await scrape(flag, app, { DYNTEL_AUTO_INSTRUMENTATIONS: 'true' });
    const utilisation = samples(lines, 'nodejs_eventloop_utilization_ratio');
    expect(utilisation).toHaveLength(1);
    expect(utilisation[0]).toContain(RUNTIME_SCOPE);
    expect(samples(lines, 'nodejs_eventloop_time_seconds_total').map((line) => /nodejs_eventloop_state="(\w+)"/.exec(line)?.[1]).sort()).toEqual(['active', 'idle']);
    const heapSpaces = samples(lines, 'v8js_memory_heap_used_bytes').map((line) => /v8js_heap_space_name="(\w+)"/.exec(line)?.[1]);
    expect(heapSpaces).toContain('new_space');
    expect(new Set(heapSpaces).size).toBe(heapSpaces.length);
  });

  it('reports no runtime metric with DYNTEL_RUNTIME_METRICS=false, not even auto-instrumentations-node\'s', async () => {
    const lines = await scrape(flag, app, { DYNTEL_AUTO_INSTRUMENTATIONS: 'true', DYNTEL_RUNTIME_METRICS: 'false' });
    expect(lines.filter((line) => line.startsWith('nodejs_') || line.startsWith('v8js_'))).toEqual([]);
    // The application's own metrics are still there: the switch concerns the runtime only.
    expect(samples(lines, 'dyntel_e2e_requests_total')).toHaveLength(1);
  });
});
