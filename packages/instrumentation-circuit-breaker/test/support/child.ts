import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The child-process fixtures. */
export const FIXTURES = join(here, '..', 'fixtures');
const BUILT = join(here, '..', '..', 'dist', 'index.cjs');
/** The Node 22 binary used for lower-bound checks. */
export const NODE22 = join(here, '..', '..', '..', '..', 'node_modules', 'node22', 'bin', 'node');

/** What a child process printed on its `RESULT` line. */
export interface ChildReport {
  spans: { name: string; attributes: Record<string, unknown>; status: number; spanId: string; parentSpanId?: string }[];
  events: { name: string; attributes: Record<string, unknown> }[];
  points: { name: string; attributes: Record<string, unknown>; value: number }[];
  [extra: string]: unknown;
}

/**
 * Runs a fixture in a child process and resolves with its report when the process exits
 * (the exit is the signal: no polling). Child processes load the built package, so it must
 * have been built (`npm run build -w @dyntel/instrumentation-circuit-breaker`; `npm test` does).
 */
export function runFixture(
  nodeArgs: string[],
  script: string,
  node = process.execPath,
  env: Record<string, string> = {},
): Promise<ChildReport> {
  if (!existsSync(BUILT)) {
    throw new Error(`${BUILT} is missing: run \`npm run build -w @dyntel/instrumentation-circuit-breaker\` before the child-process tests`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...nodeArgs, join(FIXTURES, script)], {
      cwd: FIXTURES,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${script} exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      resolve(JSON.parse(line.slice('RESULT '.length)) as ChildReport);
    });
  });
}
