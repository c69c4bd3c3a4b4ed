import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from './support/build';
import { FIXTURES } from './support/child';

const run = promisify(execFile);
beforeAll(() => ensureBuilt());

it.each(['custom-sdk.cjs', 'custom-sdk.mjs'])('@dyntel/register/sdk starts nothing and builds a working NodeSDK (%s)', async (app) => {
  const { stdout, stderr } = await run(process.execPath, [app], {
    cwd: FIXTURES,
    env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'console,jaeger', OTEL_SDK_DISABLED: 'false' },
  });
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
