// Startup cost of @dyntel/register: how much later an application's first line runs when
// telemetry is loaded with --require / --import, with and without the optional
// auto-instrumentations. Each task spawns `node <flags> -e ""` against the built package.
// Run: npm run bench -w @dyntel/register (after npm run build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

const cwd = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const quiet = { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

function start(flags: string[], env: NodeJS.ProcessEnv = quiet): void {
  const result = spawnSync(process.execPath, [...flags, '-e', ''], { cwd, env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${flags.join(' ')} exited with ${result.status}`);
}

const bench = new Bench({ iterations: 15, warmupIterations: 2, time: 0 });
bench
  .add('node (no telemetry)', () => start([]))
  .add('--require @dyntel/register, no auto-instrumentations', () => start(['--require', '@dyntel/register'], { ...quiet, DYNTEL_AUTO_INSTRUMENTATIONS: 'false' }))
  .add('--import @dyntel/register, no auto-instrumentations', () => start(['--import', '@dyntel/register'], { ...quiet, DYNTEL_AUTO_INSTRUMENTATIONS: 'false' }))
  .add('--require @dyntel/register + auto-instrumentations-node', () => start(['--require', '@dyntel/register']))
  .add('--import @dyntel/register + auto-instrumentations-node', () => start(['--import', '@dyntel/register']));

await bench.run();
const meanOf = (index: number): number => {
  const result = bench.tasks[index]!.result;
  if (result.state !== 'completed') throw new Error(`${bench.tasks[index]!.name}: ${result.state}`);
  return result.latency.mean;
};
const baseline = meanOf(0);
console.log(`Node ${process.version}`);
console.table(
  bench.tasks.map((task, index) => ({
    task: task.name,
    'mean start (ms)': meanOf(index).toFixed(0),
    'added (ms)': (meanOf(index) - baseline).toFixed(0),
  })),
);
