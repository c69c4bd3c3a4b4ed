import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { freePort, inheritedEnv } from '@dyntel/test-support';
import { otlpReceiver, spansOf, type FlatSpan } from '../../../packages/register/test/support/otlp';

const LAUNCH = fileURLToPath(new URL('../src/launch.mjs', import.meta.url));
// `none`, or `key count` pairs: `200 2, 202 fallback 39`.
const COUNTS = '(none|[\\w ]+ \\d+(, [\\w ]+ \\d+)*)';
/** The lines of one tick of the summary. */
const TICK = [
  /^t= *\d+s {2}now: downstream (healthy|outage|recovered), breaker "inventory" (CLOSED|OPEN|HALF_OPEN)$/,
  /^ {8}pool of inventory clients now: used \d+, idle \d+, pending \d+$/,
  /^ {8}in the last 2 s:$/,
  ...['breaker calls by outcome', 'breaker states entered', 'retried calls by outcome', 'attempts by call outcome', 'retries by error', 'pool clients borrowed', 'pool waits timed out', 'clients received', 'checkout answered \\(HTTP\\)', 'inventory answered \\(HTTP\\)'].map(
    (what) => new RegExp(`^ {10}${what} +${COUNTS}$`),
  ),
];

/** The spans of each trace, by trace id. */
function traces(spans: FlatSpan[]): FlatSpan[][] {
  const byTrace = new Map<string, FlatSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  return [...byTrace.values()];
}

it('npm start: the breaker trips during the outage, the retry inside it gives up, and the summary shows it from the telemetry', async () => {
  // Traces go to a receiver of the test's: the demo's defaults (Prometheus only) otherwise.
  const receiver = await otlpReceiver();
  // The fault script four times faster: healthy, outage, recovered, in about six seconds.
  const env = {
    ...inheritedEnv(/^DEMO_/),
    DEMO_SPEED: '4',
    DEMO_SECONDS: '24',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
  };

  const child = spawn(process.execPath, [LAUNCH], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': only then has all of stdout and stderr been read.
  const [code] = await once(child, 'close');

  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain('demo stopped');
  // Each tick: the state now on its own line, then one measure of the last interval a line.
  const ticks = stdout.slice(0, stdout.lastIndexOf('\ndemo stopped')).split(/^(?=t= *\d+s {2}now: )/m).slice(1);
  expect(ticks.length).toBeGreaterThan(0);
  for (const tick of ticks) expect(tick.trimEnd().split('\n')).toEqual(TICK.map((line) => expect.stringMatching(line)));
  // Read from the register's /metrics: the breaker's own telemetry, not the demo's bookkeeping.
  // The pool never lends more clients than its four, and it reported at every tick.
  for (const [, used, idle] of stdout.matchAll(/pool of inventory clients now: used (\d+), idle (\d+)/g)) expect(Number(used) + Number(idle)).toBeLessThanOrEqual(4);
  expect(stdout).toMatch(/pool of inventory clients now: used \d+, idle [1-4], pending \d+/);
  // Every call that ran borrowed a client: the pool's wait time counts them (with upstream's
  // generic-pool instrumentation also wrapping acquire, it counted none).
  expect(stdout).toMatch(/pool clients borrowed +borrowed \d+/);
  expect(stdout).toMatch(/breaker "inventory" CLOSED$/m);
  expect(stdout).toMatch(/breaker "inventory" OPEN$/m);
  expect(stdout).toMatch(/breaker calls by outcome +(.*, )?success \d+/);
  expect(stdout).toMatch(/breaker calls by outcome +(.*, )?rejected \d+/);
  expect(stdout).toMatch(/breaker states entered +(.*, )?open 1/);
  expect(stdout).toMatch(/checkout answered \(HTTP\) +(.*, )?202 \d+/);
  expect(stdout).toMatch(/inventory answered \(HTTP\) +(.*, )?503 \d+/);
  // The retry inside the breaker, from its metrics: calls that used up their three attempts,
  // and the retries the inventory's 503s (EDOWNSTREAM) caused.
  expect(stdout).toMatch(/retried calls by outcome +(.*, )?success \d+/);
  expect(stdout).toMatch(/retried calls by outcome +(.*, )?exhausted \d+/);
  expect(stdout).toMatch(/attempts by call outcome +(.*, )?exhausted \d+/);
  expect(stdout).toMatch(/retries by error +(.*, )?EDOWNSTREAM \d+/);

  // And from its spans: a checkout whose retry was exhausted is one trace holding the breaker
  // call that failed, the retried call and its three attempts, each a request to the inventory.
  const spans = receiver.received.filter((r) => r.path === '/v1/traces').flatMap((r) => spansOf(r.body));
  await receiver.close();
  const exhausted = traces(spans).find((trace) => trace.some((s) => s.name === 'retry.call inventory' && s.attributes['resilience.retry.outcome'] === 'exhausted'));
  expect(exhausted, 'a trace with an exhausted retry').toBeDefined();
  const count = (name: string) => exhausted!.filter((s) => s.name === name).length;
  // Integers arrive as protobuf Longs.
  const { attributes: call } = exhausted!.find((s) => s.name === 'retry.call inventory')!;
  expect([Number(call['resilience.retry.attempt_count']), Number(call['resilience.retry.max_attempts']), call['error.type']]).toEqual([3, 3, 'EDOWNSTREAM']);
  expect(exhausted!.find((s) => s.name === 'circuit_breaker.call inventory')?.attributes).toMatchObject({ 'resilience.circuit_breaker.outcome': 'failure' });
  expect([count('circuit_breaker.call inventory'), count('retry.call inventory'), count('retry.attempt inventory')]).toEqual([1, 1, 3]);
  expect(exhausted!.filter((s) => s.name === 'retry.attempt inventory').map((s) => Number(s.attributes['resilience.retry.attempt'])).sort()).toEqual([1, 2, 3]);
}, 60_000);
