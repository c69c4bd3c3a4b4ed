import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

const BUNDLED = fileURLToPath(new URL('./src/bundled/', import.meta.url));

/**
 * src/lazy.ts require()s each SDK package whole, which is what the tests load; in the build each
 * such require() loads src/bundled/<package>.ts instead, which names what this package uses. Those
 * import the packages' ES module builds, so the bundler keeps only the code the names reach (the
 * CommonJS builds cannot be pruned): less to parse and evaluate at start-up.
 */
const namedParts: Plugin = {
  name: 'dyntel-bundled-parts',
  setup(build) {
    build.onResolve({ filter: /^@opentelemetry\/[a-z0-9-]+$/ }, ({ path, kind, importer }) => {
      if (kind !== 'require-call' || !importer.endsWith('/src/lazy.ts')) return undefined;
      const part = `${BUNDLED}${path.slice('@opentelemetry/'.length)}.ts`;
      return existsSync(part) ? { path: part } : undefined;
    });
  },
};

const LAZY_ZLIB = `${BUNDLED}zlib.ts`;
const OTLP_HTTP_TRANSPORT = /[/\\]otlp-exporter-base[/\\].*[/\\]http-transport-utils\.mjs$/;

/**
 * The OTLP HTTP transport imports node:zlib at the top of its module, for gzip only; in the build
 * it gets src/bundled/zlib.ts, which loads node:zlib on the first compressed export. The build
 * fails if a new version of the transport uses more of node:zlib than that file provides.
 */
const lazyZlib: Plugin = {
  name: 'dyntel-lazy-zlib',
  setup(build) {
    build.onResolve({ filter: /^(node:)?zlib$/ }, ({ importer }) => {
      if (!OTLP_HTTP_TRANSPORT.test(importer)) return undefined;
      const used = new Set(readFileSync(importer, 'utf8').match(/\bzlib\.\w+/g));
      const missing = [...used].filter((name) => name !== 'zlib.createGzip');
      if (missing.length > 0) return { errors: [{ text: `${importer} uses ${missing.join(', ')}: add it to ${LAZY_ZLIB}` }] };
      return { path: LAZY_ZLIB };
    });
  },
};

// index: the --require entry; esm: the --import entry (adds the ESM hooks), which runs esm-start's
// CommonJS build; sdk: side-effect free; testing: ESM only (it awaits the libraries it preloads),
// after the first build has cleaned dist. `shims` gives the CJS build an `import.meta.url`, used to
// resolve peers from this package. The SDK packages only this package uses are bundled (see
// src/lazy.ts): a few files instead of hundreds of modules for the loader to resolve, read and
// wrap. Their `import('http')` becomes a require(): a dynamic import in a CommonJS process starts
// the ES module loader, which costs more than all the rest of an export.
export default defineConfig([
  {
    ...packageBuild({ index: 'src/index.ts', esm: 'src/esm.ts', 'esm-start': 'src/esm-start.ts', sdk: 'src/sdk.ts' }),
    shims: true,
    noExternal: [/^@opentelemetry\/(?!api$|api-logs$|instrumentation$)/],
    esbuildPlugins: [namedParts, lazyZlib],
    esbuildOptions: (options) => {
      options.supported = { ...options.supported, 'dynamic-import': false };
    },
  },
  { ...packageBuild({ testing: 'src/testing.ts' }), format: ['esm'], clean: false },
]);
