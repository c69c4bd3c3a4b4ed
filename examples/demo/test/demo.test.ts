import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { inheritedEnv } from '@dyntel/test-support';
import { freePort } from '../../../packages/register/test/support/ports';

const LAUNCH = fileURLToPath(new URL('../src/launch.mjs', import.meta.url));

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
  // Read from the register's /metrics: the breaker's own telemetry, not the demo's bookkeeping.
  expect(stdout).toMatch(/breaker "inventory": CLOSED +calls: .*success \d+/);
  expect(stdout).toMatch(/breaker "inventory": OPEN .*-> entered .*open 1/);
  expect(stdout).toMatch(/calls: .*rejected \d+/);
  expect(stdout).toMatch(/http requests served \(checkout \+ inventory\) by status: .*200 \d+/);
}, 60_000);
