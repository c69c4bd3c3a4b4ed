import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { freePort, inheritedEnv } from '@dyntel/test-support';

const LAUNCH = fileURLToPath(new URL('../src/launch.mjs', import.meta.url));

/** The counts of one summary line: `  what   a 1, b 2`. */
function countsOf(stdout: string, what: string): Record<string, number> {
  const line = stdout.split('\n').find((l) => l.startsWith(`  ${what} `));
  if (line === undefined) throw new Error(`no line "${what}" in:\n${stdout}`);
  const counts: Record<string, number> = {};
  for (const entry of line.slice(what.length + 2).trim().split(', ')) {
    const [, key, value] = /^(.*) (\d+)$/.exec(entry) ?? [];
    if (key !== undefined) counts[key] = Number(value);
  }
  return counts;
}

it('npm start: the order system and the support desk run offline, and the summary shows them from the telemetry', async () => {
  const port = await freePort();
  // vitest set NODE_ENV=test in this process, under which the Agents SDK traces nothing: the
  // example runs as a user runs it, without it.
  const env = { ...inheritedEnv(/^(NODE_ENV|AGENTS_EXAMPLE_)/), AGENTS_EXAMPLE_ONCE: 'true', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) };
  const child = spawn(process.execPath, [LAUNCH], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': only then has all of stdout and stderr been read.
  const [code] = await once(child, 'close');

  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  // What the application itself got.
  expect(stdout).toContain('orders: A-1 shipped, A-2 shipped, A-3 cancelled\nsupport desk: Order A-3 was cancelled.\n');
  expect(stdout).toContain(`metrics on http://localhost:${port}/metrics`);
  // What the telemetry says, read from the register's Prometheus endpoint.
  expect(countsOf(stdout, 'actors spawned by type')).toEqual({ fulfilment: 1, order: 3, payment: 3, shipper: 2 });
  expect(countsOf(stdout, 'actors stopped by reason')).toMatchObject({ error: 1 });
  expect(countsOf(stdout, 'workers failed by error')).toEqual({ CardDeclined: 1 });
  expect(countsOf(stdout, 'messages by type')).toMatchObject({ SHIP: 2, SHIPPED: 2, SETTLED: 3 });
  expect(countsOf(stdout, 'messages by sender → target')).toMatchObject({ 'order → shipper': 2, 'shipper → order': 2 });
  // The third order's end reached a coordinator already done.
  expect(countsOf(stdout, 'messages dropped by type')).toEqual({ 'xstate.done.actor': 1 });
  expect(countsOf(stdout, 'coordinations ended')).toEqual({ fulfilment: 1 });
  expect(countsOf(stdout, 'workflow runs')).toEqual({ 'support-desk': 1 });
  expect(countsOf(stdout, 'agent invocations')).toEqual({ Triage: 1, Orders: 1 });
  expect(countsOf(stdout, 'handoffs')).toEqual({ 'Triage → Orders': 1 });
  expect(countsOf(stdout, 'tool calls and transfers')).toEqual({ order_status: 1, transfer_to_Orders: 1 });
  expect(countsOf(stdout, 'tokens by type')).toEqual({ input: 120, output: 24 });
}, 60_000);
