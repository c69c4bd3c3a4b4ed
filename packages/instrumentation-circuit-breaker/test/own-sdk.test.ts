import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { assertBuilt, runNode } from '@dyntel/test-support';

// The README's ESM advice for an SDK of one's own, run as written: the snippet is the fixture's
// telemetry.mjs, and its first line is the command.
const FIXTURE = fileURLToPath(new URL('./fixtures/own-sdk/', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const TELEMETRY = readFileSync(new URL('telemetry.mjs', `file://${FIXTURE}`), 'utf8');

it('node --import ./telemetry.mjs app.mjs: an ES-module application imports opossum and its call is a span', async () => {
  assertBuilt('@dyntel/instrumentation-circuit-breaker');
  expect(README).toContain(`\`\`\`js\n${TELEMETRY}\`\`\``);
  const [, command] = /^\/\/ telemetry\.mjs, loaded first: (.+)$/m.exec(TELEMETRY)!;
  const [node, ...args] = command!.split(' ');
  expect(node).toBe('node');

  const run = await runNode({
    cwd: FIXTURE,
    nodeArgs: args.slice(0, -1),
    script: args.at(-1)!,
    env: { OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
  });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(run.stdout).toContain('sku-1: 3 in stock');
  // The console exporter prints each ended span.
  expect(run.stdout).toContain("name: 'circuit_breaker.call inventory'");
});
