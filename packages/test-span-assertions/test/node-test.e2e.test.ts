import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// The lowest Node the package supports, installed at the repository root.
const node22 = fileURLToPath(new URL('../../../node_modules/node22/bin/node', import.meta.url));

/** Runs `node --test` on a fixture; resolves even when it fails. */
async function nodeTest(file: string, node = process.execPath): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(node, ['--test', '--test-reporter=spec', file], { cwd: packageDir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('node:test (no vitest involved)', () => {
  beforeAll(async () => {
    // The child imports the package the way users do, through its built `dist/`.
    if (!existsSync(`${packageDir}/dist/index.js`)) {
      await run('npm', ['run', 'build', '-w', '@dyntel/test-span-assertions'], { cwd: `${packageDir}/../..` });
    }
  });

  it('runs the README example to success', async () => {
    const { code, output } = await nodeTest(fixture('node-test.example.mjs'));
    expect(output).toMatch(/ℹ pass 6\b/);
    expect(output).toMatch(/ℹ fail 0\b/);
    expect(code).toBe(0);
  });

  it('runs the README example on the lowest supported Node (22)', async () => {
    const { code, output } = await nodeTest(fixture('node-test.example.mjs'), node22);
    expect(output).toMatch(/ℹ pass 6\b/);
    expect(code).toBe(0);
  });

  it('reports a timed-out wait with its explanation', async () => {
    const { code, output } = await nodeTest(fixture('node-test.failing.mjs'));
    expect(code).toBe(1);
    expect(output).toContain('waitForSpan timed out after 50 ms');
    expect(output).toMatch(/✗ attributes\["order"\]: expected "o-2", got "o-1"/);
  });
});
