import { fileURLToPath } from 'node:url';
import { startNode, type NodeChild } from '@dyntel/test-support';

/** Where the e2e applications live; children run there so `@dyntel/register` resolves to the built package. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** How the child loads @dyntel/register, and which application it runs. */
export const FLAVOURS = [
  { flag: '--require', app: 'app.cjs' },
  { flag: '--import', app: 'app.mjs' },
] as const;
export type Flavour = (typeof FLAVOURS)[number];

/** A running e2e application. */
export interface App extends NodeChild {
  /** The port the application's HTTP server listens on (after `READY`). */
  port: number;
  /** GET a path of the application. */
  get(path: string): Promise<{ status: number; body: string }>;
}

/** No metrics, no log records and no auto-instrumentations: a child that exports only what a test asks for. */
export const QUIET = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', DYNTEL_AUTO_INSTRUMENTATIONS: 'false' } as const;

/** Metrics on a Prometheus endpoint at 127.0.0.1:`port`, nothing else exported, no auto-instrumentations. */
export function prometheusOnly(port: number): Record<string, string> {
  return {
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    DYNTEL_AUTO_INSTRUMENTATIONS: 'false',
  };
}

/**
 * Starts `node <preload...> <app> <args...>` (in the fixtures unless `cwd` says otherwise) with the shared runner (the running Node, so a Node 22 run
 * tests Node 22, and no inherited OTEL_ or DYNTEL_ variables), and resolves when the app prints `READY <port>`.
 */
export async function startApp(options: { preload: string[]; app: string; args?: string[]; cwd?: string; env?: Record<string, string> }): Promise<App> {
  // Fast, small exports in tests unless a test says otherwise; nothing goes to a real collector.
  const env = { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BLRP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: 'dyntel-e2e', ...options.env };
  const child = startNode({ nodeArgs: options.preload, script: options.app, args: options.args, cwd: options.cwd ?? FIXTURES, env });
  const ready = await Promise.race([
    child.stdout.waitFor(/^READY (\d+)$/),
    child.closed.then(({ code, signal }) => {
      throw new Error(`the app ended before READY (code ${code}, signal ${signal}); stderr:\n${child.stderr}`);
    }),
  ]);
  const port = Number(ready[1]);
  return {
    ...child,
    port,
    async get(path) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: response.status, body: await response.text() };
    },
  };
}
