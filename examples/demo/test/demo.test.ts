import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { inheritedEnv } from '@dyntel/test-support';
import { freePort } from '../../../packages/register/test/support/ports';

const LAUNCH = fileURLToPath(new URL('../src/launch.mjs', import.meta.url));
// `none`, or `key count` pairs: `200 2, 202 fallback 39`.
const COUNTS = '(none|[\\w ]+ \\d+(, [\\w ]+ \\d+)*)';
/** The lines of one tick of the summary. */
const TICK = [
  /^t= *\d+s {2}now: downstream (healthy|outage|recovered), breaker "inventory" (CLOSED|OPEN|HALF_OPEN)$/,
  /^ {8}in the last 2 s:$/,
  ...['breaker calls by outcome', 'breaker states entered', 'clients received', 'checkout answered \\(HTTP\\)', 'inventory answered \\(HTTP\\)'].map(
    (what) => new RegExp(`^ {10}${what} +${COUNTS}$`),
  ),
];

it('npm start: the breaker trips during the outage and the summary shows it from the telemetry', async () => {
  // The fault script four times faster: healthy, outage, recovered, in about six seconds.
  const env = { ...inheritedEnv(/^DEMO_/), DEMO_SPEED: '4', DEMO_SECONDS: '24', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) };

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
  expect(stdout).toMatch(/breaker "inventory" CLOSED$/m);
  expect(stdout).toMatch(/breaker "inventory" OPEN$/m);
  expect(stdout).toMatch(/breaker calls by outcome +(.*, )?success \d+/);
  expect(stdout).toMatch(/breaker calls by outcome +(.*, )?rejected \d+/);
  expect(stdout).toMatch(/breaker states entered +(.*, )?open 1/);
  expect(stdout).toMatch(/checkout answered \(HTTP\) +(.*, )?202 \d+/);
  expect(stdout).toMatch(/inventory answered \(HTTP\) +(.*, )?503 \d+/);
}, 60_000);
