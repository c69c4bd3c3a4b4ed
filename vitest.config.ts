import { defineConfig } from 'vitest/config';

// One run covers every package. Packages resolve each other's sources through the
// "@dyntel/source" export condition, so tests never depend on a stale build; end-to-end
// tests that start child processes use the built `dist/` (npm test builds first).
export default defineConfig({
  resolve: { conditions: ['@dyntel/source'] },
  ssr: { resolve: { conditions: ['@dyntel/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
