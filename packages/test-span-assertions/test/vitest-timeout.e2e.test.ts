import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runNode } from '@dyntel/test-support';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const vitest = fileURLToPath(new URL('../../../node_modules/vitest/vitest.mjs', import.meta.url));

describe('a wait that fails under vitest with every timeout left at its default', () => {
  it('reports its explanation before vitest ends the test', async () => {
    // The child imports the package the way users do, through its built `dist/`.
    expect(existsSync(`${packageDir}/dist/index.js`), 'run `npm run build -w @dyntel/test-span-assertions` first').toBe(true);
    const run = await runNode({ cwd: fixtures, script: vitest, args: ['run', '--config', 'vitest.failing.config.mjs', '--reporter=default', '--color=false'] });
    const output = run.stdout + run.stderr;
    expect(run.code).toBe(1);
    expect(output).toMatch(/waitForSpan timed out after \d+ ms/);
    expect(output).toMatch(/attributes\["order"\]: expected "o-2", got "o-1"/);
    expect(output).not.toContain('Test timed out');
  });
});
