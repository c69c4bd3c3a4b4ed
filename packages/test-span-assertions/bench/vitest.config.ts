import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// vi.waitFor and expect.poll only exist inside a vitest run, so the latency comparison runs
// under vitest (the place users would call them), outside the unit test include patterns.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { conditions: ['@dyntel/source'] },
  ssr: { resolve: { conditions: ['@dyntel/source'] } },
  test: { include: ['bench/latency.bench-run.ts'], testTimeout: 600_000 },
});
