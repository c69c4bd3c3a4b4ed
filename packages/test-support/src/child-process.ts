import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { inheritedEnv } from './child-env';
import { LineLog } from './line-log';

/** The Node 22 binary (the supported lower bound), installed by the root package as `node22`. */
export const NODE22 = fileURLToPath(new URL('../../../node_modules/node22/bin/node', import.meta.url));

/** What to start: `node <nodeArgs...> <script> <args...>`. */
export interface NodeChildOptions {
  /** The script, absolute or relative to `cwd`. */
  script: string;
  /** Node's own flags before the script, e.g. `['--import', '@dyntel/register']`. */
  nodeArgs?: string[];
  /** Arguments after the script. */
  args?: string[];
  cwd?: string;
  /** Variables on top of the clean environment of {@link inheritedEnv}: nothing else reaches the child. */
  env?: Record<string, string>;
  /** The binary; defaults to the one running the tests (so a Node 22 run tests Node 22). See {@link NODE22}. */
  node?: string;
}

/** How a child ended. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started child process. */
export interface NodeChild {
  child: ChildProcess;
  stdout: LineLog;
  stderr: LineLog;
  /** Resolves with how the child ended once its stdout and stderr are closed and every line is in. */
  closed: Promise<ChildEnd>;
  /** Sends `signal` and resolves when the child has closed. */
  stop(signal?: NodeJS.Signals): Promise<ChildEnd>;
}

/** A child that has closed, with everything it printed. */
export interface ChildRun extends ChildEnd {
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** Starts a Node child process with a clean environment; it runs until it ends or is stopped. */
export function startNode(options: NodeChildOptions): NodeChild {
  const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...inheritedEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('close', () => running.delete(child));
  const stdout = new LineLog(child.stdout!);
  const stderr = new LineLog(child.stderr!);
  // 'close', not 'exit': 'exit' can come while stdout/stderr still hold lines the tests read.
  // once() rejects when the child emits 'error' instead (a binary that cannot be spawned).
  const closed = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  closed.catch(() => running.delete(child));
  return {
    child,
    stdout,
    stderr,
    closed,
    stop(signal = 'SIGTERM') {
      child.kill(signal);
      return closed;
    },
  };
}

/** Runs a child to its end and resolves with its exit code or signal and its output. */
export async function runNode(options: NodeChildOptions): Promise<ChildRun> {
  const { stdout, stderr, closed } = startNode(options);
  const end = await closed;
  return { ...end, stdout: stdout.toString(), stderr: stderr.toString() };
}

/** Ends every child still running (after a failed test) and resolves when they have closed. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const ended = once(child, 'close');
      child.kill('SIGKILL');
      return ended;
    }),
  );
}
