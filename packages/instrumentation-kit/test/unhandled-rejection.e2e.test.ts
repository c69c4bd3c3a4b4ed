import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const built = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');

interface Exit {
  code: number | null;
  stderr: string;
}

// Runs `body` in a child with `settle` in scope, and resolves when the child has closed.
function run(body: string): Promise<Exit> {
  const script = `import { settle } from ${JSON.stringify(built)};\nprocess.stderr.write('LOADED\\n');\n${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

// Each scenario runs bare (the library's promise to the caller) and through settle(), and
// the process must end the same way: an unhandled rejection stays unhandled, a handled one stays handled.
const scenarios = {
  'left unhandled': (expression: string) => `${expression};`,
  'handled by the caller': (expression: string) => `${expression}.catch(() => {});`,
};

describe('settle() and unhandled rejections (built package, real process)', () => {
  for (const [label, use] of Object.entries(scenarios)) {
    for (const shareable of [false, true]) {
      it(`a rejection ${label} ends the process as without instrumentation (shareable: ${shareable})`, async () => {
        const library = `Promise.reject(new Error('downstream down'))`;
        const bare = await run(use(library));
        const instrumented = await run(use(`settle('op', ${library}, () => {}, ${shareable})`));
        expect(instrumented.stderr).toMatch(/^LOADED\n/);
        expect(instrumented.code).toBe(bare.code);
        expect(instrumented.stderr.includes('downstream down')).toBe(bare.stderr.includes('downstream down'));
      });
    }
  }

  it('the bare scenarios differ, so the comparison can fail', async () => {
    const unhandled = await run(`Promise.reject(new Error('x'));`);
    const handled = await run(`Promise.reject(new Error('x')).catch(() => {});`);
    expect(unhandled.code).not.toBe(handled.code);
  });
});
