import { beforeAll, expect, it } from 'vitest';
import { runNode } from '@dyntel/test-support';
import { ensureBuilt } from './support/build';
import { FIXTURES } from './support/child';

beforeAll(() => ensureBuilt());

it.each(['custom-sdk.cjs', 'custom-sdk.mjs'])('@dyntel/register/sdk starts nothing and builds a working NodeSDK (%s)', async (app) => {
  const { code, stdout, stderr } = await runNode({ script: app, cwd: FIXTURES, env: { OTEL_TRACES_EXPORTER: 'console,jaeger', OTEL_SDK_DISABLED: 'false' } });
  expect(code).toBe(0);
  const report = JSON.parse(stdout) as Record<string, unknown>;
  expect(report).toEqual({
    startedByImport: false,
    // Every dyntel instrumentation in the registry, none filtered by the environment.
    instrumentations: report.registry,
    registry: report.registry,
    traceExporters: ['console'],
    problems: ['OTEL_TRACES_EXPORTER'],
    spans: ['custom-span'],
  });
  // Reading a bad configuration through the subpath reports it to the caller, not to stderr.
  expect(stderr).toBe('');
});
