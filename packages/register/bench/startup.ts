// Startup cost of @dyntel/register: how much later an application's first line runs when
// telemetry is loaded with --require / --import, with and without the optional
// auto-instrumentations, next to the SDK's own zero-code start
// (@opentelemetry/auto-instrumentations-node/register). Each case spawns `node <flags> -e ""`
// against the built package. Run: npm run bench -w @dyntel/register (builds first; the
// instrumentation packages it loads must be built too).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULTS_LEGEND, benchEnvironment, resultsTable, runCases, type BenchCase } from '@dyntel/bench-kit';

const cwd = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const quiet = { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
const noAutoInstrumentations = { ...quiet, DYNTEL_AUTO_INSTRUMENTATIONS: 'false' };

function start(flags: string[], env: NodeJS.ProcessEnv = quiet): void {
  const result = spawnSync(process.execPath, [...flags, '-e', ''], { cwd, env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${flags.join(' ')} exited with ${result.status}`);
}

const BARE = 'node (no telemetry)';
const PEER = '--require @opentelemetry/auto-instrumentations-node/register';
// The resource detectors NodeSDK starts by default (@dyntel/register's too): the peer's own
// default adds cloud detectors that wait for metadata servers.
const peerEnv = { ...quiet, OTEL_NODE_RESOURCE_DETECTORS: 'env,process,host,os,serviceinstance' };
const startup = (name: string, flags: string[], env?: NodeJS.ProcessEnv, peer?: string): BenchCase => ({
  name,
  run: () => start(flags, env),
  bare: BARE,
  ...(peer === undefined ? {} : { peer }),
});
const cases: BenchCase[] = [
  { name: BARE, run: () => start([]) },
  startup(PEER, ['--require', '@opentelemetry/auto-instrumentations-node/register'], peerEnv, PEER),
  startup('--require @dyntel/register, no auto-instrumentations', ['--require', '@dyntel/register'], noAutoInstrumentations),
  startup('--import @dyntel/register, no auto-instrumentations', ['--import', '@dyntel/register'], noAutoInstrumentations),
  startup('--require @dyntel/register + auto-instrumentations-node', ['--require', '@dyntel/register'], quiet, PEER),
  startup('--import @dyntel/register + auto-instrumentations-node', ['--import', '@dyntel/register'], quiet, PEER),
];

// The work happens in child processes: this process's allocations say nothing about it.
const results = await runCases(cases, { bench: { iterations: 15, warmupIterations: 2, time: 0 }, allocationMillis: 0 });
console.log(`${benchEnvironment()}; mean start time of node -e "" over 15 runs\n`);
console.log(`${resultsTable(results, { unit: 'ms' })}\n\n${RESULTS_LEGEND}`);
