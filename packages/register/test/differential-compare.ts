import { performance } from 'node:perf_hooks';
import { startNode, type NodeChildOptions } from '@dyntel/test-support';

/** The prefix of every line the register entry writes: not the application's. */
const OURS = /^@dyntel\/register:/;
const OBSERVATION = 'OBSERVATION ';

/** Everything the application and whoever runs it can see of one run of a scenario. */
export interface Observed {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The scenario's own record (its `OBSERVATION` line), undefined when it printed none. */
  observation: unknown;
  /** Any other stdout lines. */
  stdout: string[];
  /**
   * Node's report of a crash as a person reads it: the stderr lines that are not ours, up to the
   * first stack frame (location, source line, caret, `Error: message`). Frames are left out:
   * a wrapper may add its own.
   */
  stderrHead: string[];
}

/** One run: what was observed, our own stderr lines, and how long the process took to end after its record. */
export interface Run {
  observed: Observed;
  ours: string[];
  /** Milliseconds from the `OBSERVATION` line to the child's close (from the start when there is no line). */
  exitMillis: number;
}

/** Runs a fixture to its end with the shared runner and sorts what it printed into a {@link Run}. */
export async function observe(options: NodeChildOptions): Promise<Run> {
  const started = performance.now();
  const child = startNode(options);
  let reported = started;
  void child.stdout.waitFor(/^OBSERVATION /).then(() => (reported = performance.now()));
  const { code, signal } = await child.closed;
  const exitMillis = performance.now() - reported;
  const line = child.stdout.lines.find((l) => l.startsWith(OBSERVATION));
  const foreign = child.stderr.lines.filter((l) => !OURS.test(l));
  const firstFrame = foreign.findIndex((l) => /^\s+at /.test(l));
  return {
    observed: {
      code,
      signal,
      observation: line === undefined ? undefined : JSON.parse(line.slice(OBSERVATION.length)),
      stdout: child.stdout.lines.filter((l) => l !== line),
      stderrHead: firstFrame === -1 ? foreign : foreign.slice(0, firstFrame),
    },
    ours: child.stderr.matching(OURS),
    exitMillis,
  };
}

const MAX_LINES = 12;

/**
 * Where `actual` differs from `expected`, one line per difference, by path
 * (`observation.code: bare 0, here 1`). Arrays of plain values (ordered logs) are compared as
 * a whole, from their first difference on: one moved entry shifts every later index.
 */
export function differences(expected: unknown, actual: unknown, path = ''): string[] {
  if (Object.is(expected, actual)) return [];
  const bothObjects = typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null;
  if (Array.isArray(expected) && Array.isArray(actual) && isFlat(expected) && isFlat(actual)) {
    return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${path || '(whole)'}: ${moved(expected, actual)}`];
  }
  if (!bothObjects || Array.isArray(expected) !== Array.isArray(actual)) {
    return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${path || '(whole)'}: bare ${show(expected)}, here ${show(actual)}`];
  }
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
  const out: string[] = [];
  for (const key of keys) {
    const child = Array.isArray(expected) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    out.push(...differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], child));
  }
  return out.length > MAX_LINES ? [...out.slice(0, MAX_LINES), `... and ${out.length - MAX_LINES} more`] : out;
}

// `from [9]: bare [... "m2","then","finally" ...], here [... "m2","n2","m3" ...]`, with the lengths when they differ.
function moved(expected: unknown[], actual: unknown[]): string {
  let first = 0;
  while (first < expected.length && Object.is(expected[first], actual[first])) first++;
  const window = (list: unknown[]) => {
    const from = Math.max(0, first - 2);
    const shown = list.slice(from, first + 4).map((item) => JSON.stringify(item)).join(',');
    return `[${from > 0 ? '... ' : ''}${shown}${first + 4 < list.length ? ' ...' : ''}]`;
  };
  const lengths = expected.length === actual.length ? '' : ` (${expected.length} entries, here ${actual.length})`;
  return `from [${first}]: bare ${window(expected)}, here ${window(actual)}${lengths}`;
}

function isFlat(list: unknown[]): boolean {
  return list.every((item) => item === null || typeof item !== 'object');
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
