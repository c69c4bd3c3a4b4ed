import { runNode, type ChildRun, type NodeChildOptions } from './child-process';

/** What a fixture printed on its `RESULT {json}` line (the shared telemetry preload's `report()`). */
export interface ChildReport {
  spans: { name: string; attributes: Record<string, unknown>; status: number; spanId: string; parentSpanId?: string }[];
  events: { name: string; attributes: Record<string, unknown> }[];
  points: { name: string; attributes: Record<string, unknown>; value: number }[];
  [extra: string]: unknown;
}

const RESULT = 'RESULT ';

/** The parsed `RESULT` line of a child that exited with 0; otherwise an error quoting its output. */
export function reportOf(run: ChildRun, label: string): ChildReport {
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (run.code !== 0 || line === undefined) {
    const ending = run.signal === null ? `exited with ${run.code}` : `was killed by ${run.signal}`;
    throw new Error(`${label} ${ending}${line === undefined ? ' without a RESULT line' : ''}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
  return JSON.parse(line.slice(RESULT.length)) as ChildReport;
}

/** Runs a fixture to its end (resolving on close: no polling) and returns its `RESULT` report. */
export async function runFixture(options: NodeChildOptions): Promise<ChildReport> {
  return reportOf(await runNode(options), options.script);
}
