import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '@dyntel/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build';
import { FIXTURES } from './support/child';

const ESC = '\u001b';
const QUIET_DEBUG = { OTEL_LOG_LEVEL: 'debug', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', DYNTEL_AUTO_INSTRUMENTATIONS: 'false' };

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'dyntel-debug-lines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Our lines of a child's stderr. */
const ours = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('@dyntel/register: '));

// Debug lines print text from outside (a path, the user's sampler rules): escaped and bounded like any other line.
describe('debug lines', () => {
  it("escape the path of a tool's script that is skipped", async () => {
    const tool = join(dir, 'node_modules', 'mytool');
    mkdirSync(tool, { recursive: true });
    const script = join(tool, `r${ESC}[31mun.cjs`);
    writeFileSync(script, '');
    const run = await runNode({ nodeArgs: ['--require', '@dyntel/register'], script, cwd: FIXTURES, env: { ...QUIET_DEBUG, DYNTEL_SKIP_PROCESSES: 'mytool' } });
    expect(ours(run.stderr)).toEqual([`@dyntel/register: not started in mytool (${JSON.stringify(script).replace(ESC, '\\u001b')}): NODE_OPTIONS reaches this tool on its way to the application; DYNTEL_SKIP_PROCESSES lists the processes skipped.`]);
  });

  it("escape the sampler's rule names and cut a description of many rules", async () => {
    const rules = Array.from({ length: 200 }, (_, i) => ({ dyntel: { name: `rule${ESC}[31m${i}`, span_names: [`span-${i}`] }, sampler: { always_off: {} } }));
    const run = await runNode({ nodeArgs: ['--require', '@dyntel/register'], script: 'script-ends.cjs', cwd: FIXTURES, env: { ...QUIET_DEBUG, DYNTEL_SAMPLER_RULES: JSON.stringify(rules) } });
    const sampler = ours(run.stderr).filter((line) => line.startsWith('@dyntel/register: sampler: '));
    expect(sampler).toHaveLength(1);
    expect(sampler[0]).toMatch(/^@dyntel\/register: sampler: DyntelSampler\{rule\\u001b\[31m0: /);
    expect(sampler[0]).not.toContain(ESC);
    expect(sampler[0]!.length).toBeLessThan(1_500);
  });
});
