import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The one line: in-memory telemetry and every dyntel instrumentation before the test files load.
    setupFiles: ['@dyntel/register/testing', '@dyntel/test-span-assertions/vitest-setup'],
    // Only for the CommonJS test file: vitest cannot be require()d, so it uses the globals.
    globals: true,
  },
});
