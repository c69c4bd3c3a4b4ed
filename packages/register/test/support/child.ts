import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { LineLog } from './lines';

/** Where the e2e applications live; children run there so `@dyntel/register` resolves to the built package. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** How the child loads @dyntel/register, and which application it runs. */
export const FLAVOURS = [
  { flag: '--require', app: 'app.cjs' },
  { flag: '--import', app: 'app.mjs' },
] as const;
export type Flavour = (typeof FLAVOURS)[number];

/** A running e2e application. */
export interface App {
  child: ChildProcess;
  stdout: LineLog;
  stderr: LineLog;
  /** The port the application's HTTP server listens on (after `READY`). */
  port: number;
  /** GET a path of the application. */
  get(path: string): Promise<{ status: number; body: string }>;
  /** Resolves with how the child ended, once its stdout and stderr are closed and every line is in. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and resolves when the child has ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** No metrics, no log records and no auto-instrumentations: a child that exports only what a test asks for. */
export const QUIET = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', DYNTEL_AUTO_INSTRUMENTATIONS: 'false' } as const;

/**
 * This process's environment for a child, without the OTEL_ and DYNTEL_ variables, NODE_OPTIONS,
 * vitest's own, and whatever else `alsoDrop` matches: the child sees only what its test sets.
 */
export function inheritedEnv(alsoDrop?: RegExp): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(OTEL_|DYNTEL_|NODE_OPTIONS$|VITEST)/.test(key) && !alsoDrop?.test(key)) env[key] = value;
  }
  return env;
}

const running = new Set<ChildProcess>();

/**
 * Starts `node <preload...> <app>` with `process.execPath` (so a Node 22 run tests Node 22)
 * and an environment without OTEL_ and DYNTEL_ variables, and resolves when the app prints `READY <port>`.
 */
export async function startApp(options: { preload: string[]; app: string; env?: Record<string, string> }): Promise<App> {
  const env = inheritedEnv();
  // Fast, small exports in tests unless a test says otherwise; nothing goes to a real collector.
  Object.assign(env, { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BLRP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: 'dyntel-e2e' }, options.env);

  const child = spawn(process.execPath, [...options.preload, options.app], { cwd: FIXTURES, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stdout = new LineLog(child.stdout!);
  const stderr = new LineLog(child.stderr!);
  // 'close', not 'exit': 'exit' can come while stdout/stderr still hold lines the tests assert on.
  const exited = once(child, 'close').then(([code, signal]) => {
    running.delete(child);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  const ready = await Promise.race([
    stdout.waitFor(/^READY (\d+)$/),
    exited.then(({ code, signal }) => {
      throw new Error(`the app ended before READY (code ${code}, signal ${signal}); stderr:\n${stderr.lines.join('\n')}`);
    }),
  ]);
  const port = Number(ready[1]);
  return {
    child,
    stdout,
    stderr,
    port,
    exited,
    async get(path) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: response.status, body: await response.text() };
    },
    stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

/** Ends every child still running (after a failed test). */
export async function stopAllApps(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const ended = once(child, 'close');
      child.kill('SIGKILL');
      return ended;
    }),
  );
}
