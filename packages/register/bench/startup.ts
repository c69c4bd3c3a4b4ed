// Start-up cost of @dyntel/register next to the OpenTelemetry SDK's own zero-code start
// (@opentelemetry/auto-instrumentations-node/register): how much wall time (spawn to exit) and
// peak RSS each adds over bare node, for an empty application and one that loads opossum, with
// --require and --import, every exporter `none` and Prometheus + OTLP. Rounds are interleaved
// (each round runs every case once), so that a machine's load hits every case alike; the
// figures are medians. With Prometheus + OTLP the register entry also runs with
// DYNTEL_RUNTIME_METRICS=false, for what the Node.js runtime metrics cost. Also prints the number of CommonJS modules `--require @dyntel/register`
// loads with every exporter `none`, against the budget in the README.
// Run: npm run bench -w @dyntel/register (builds first; the instrumentation packages it loads
// must be built too). BENCH_ROUNDS sets the number of rounds (default 11).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { benchEnvironment, markdownTable } from '@dyntel/bench-kit';

/** The README's budget for `node --require @dyntel/register -e ""` with every exporter none. */
const MODULE_BUDGET = 150;
// The target: ours adds at most this share of what upstream's register adds.
const WALL_TARGET = 0.25;
const RSS_TARGET = 0.5;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const APPS = here('./apps/');
const PEAK_RSS = here('./peak-rss.cjs');
const COUNT_MODULES = here('./count-modules.cjs');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 11);

/** A port nobody listens on now, for the Prometheus endpoint and the (absent) OTLP receiver. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// A receiver that takes every OTLP request: exports at exit cost a request, not retries and timeouts.
const otlp = createHttpServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'))).listen(0, '127.0.0.1');
await once(otlp, 'listening');
const otlpPort = (otlp.address() as { port: number }).port;
const prometheusPort = await freePort();
const EXPORTERS = {
  none: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
  'Prometheus + OTLP': {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'prometheus,otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(prometheusPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
  },
} as const;
type Exporters = keyof typeof EXPORTERS;

const ENTRIES = {
  upstream: '@opentelemetry/auto-instrumentations-node/register',
  ours: '@dyntel/register',
} as const;
type Entry = keyof typeof ENTRIES;
// Upstream's default adds cloud detectors that wait for metadata servers; these are the ones
// both start by default otherwise. Ours runs its own instrumentations only.
const ENTRY_ENV: Record<Entry, Record<string, string>> = {
  upstream: { OTEL_NODE_RESOURCE_DETECTORS: 'env,process,host,os,serviceinstance' },
  ours: { DYNTEL_AUTO_INSTRUMENTATIONS: 'false' },
};

/** The exporters whose starts also run without the runtime metrics (with `none` there are none to turn off). */
const RUNTIME_EXPORTERS: Exporters = 'Prometheus + OTLP';
const RUNTIME_OFF = { DYNTEL_RUNTIME_METRICS: 'false' };

const FLAGS = ['--require', '--import'] as const;
type Flag = (typeof FLAGS)[number];
const APP_NAMES = ['empty', 'opossum'] as const;
type App = (typeof APP_NAMES)[number];
const appFile = (app: App, flag: Flag) => `${APPS}${app}.${flag === '--require' ? 'cjs' : 'mjs'}`;

interface Measure {
  wallMs: number;
  rssKiB: number;
}

/** Runs one process to its end (this process's loop stays free for the receiver): wall time from spawn to exit, and its own peak RSS. */
async function measure(args: string[], env: Record<string, string>): Promise<Measure> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', PEAK_RSS, ...args], { cwd: APPS, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
  const wallMs = performance.now() - started;
  const rss = /DYNTEL_BENCH_PEAK_RSS_KIB (\d+)/.exec(stderr);
  if (code !== 0 || !rss) throw new Error(`node ${args.join(' ')} ended with ${code ?? signal}:\n${stderr}`);
  return { wallMs, rssKiB: Number(rss[1]) };
}

interface Case {
  key: string;
  run: () => Promise<Measure>;
}

const bareKey = (app: App, flag: Flag) => `bare ${app}.${flag === '--require' ? 'cjs' : 'mjs'}`;
const caseKey = (entry: Entry, app: App, flag: Flag, exporters: Exporters) => `${entry} ${flag} ${app} ${exporters}`;
const runtimeOffKey = (app: App, flag: Flag) => `ours ${flag} ${app} ${RUNTIME_EXPORTERS} DYNTEL_RUNTIME_METRICS=false`;
const cases: Case[] = [];
for (const app of APP_NAMES) {
  for (const flag of FLAGS) {
    cases.push({ key: bareKey(app, flag), run: () => measure([appFile(app, flag)], EXPORTERS.none) });
    for (const exporters of Object.keys(EXPORTERS) as Exporters[]) {
      for (const entry of Object.keys(ENTRIES) as Entry[]) {
        cases.push({ key: caseKey(entry, app, flag, exporters), run: () => measure([flag, ENTRIES[entry], appFile(app, flag)], { ...EXPORTERS[exporters], ...ENTRY_ENV[entry] }) });
      }
    }
    cases.push({ key: runtimeOffKey(app, flag), run: () => measure([flag, ENTRIES.ours, appFile(app, flag)], { ...EXPORTERS[RUNTIME_EXPORTERS], ...ENTRY_ENV.ours, ...RUNTIME_OFF }) });
  }
}

const samples = new Map<string, Measure[]>(cases.map((c) => [c.key, []]));
for (const c of cases) await c.run(); // warm-up: file system caches, compile caches
for (let round = 0; round < ROUNDS; round++) {
  // Each round in another order, so that no case always follows the same one.
  const order = cases.map((c, i) => cases[(i + round * 7) % cases.length]!);
  for (const c of order) samples.get(c.key)!.push(await c.run());
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const medianOf = (key: string, field: keyof Measure) => median(samples.get(key)!.map((m) => m[field]));

const rows: string[][] = [];
const runtimeRows: string[][] = [];
let targetsMet = true;
for (const app of APP_NAMES) {
  for (const flag of FLAGS) {
    const bareWall = medianOf(bareKey(app, flag), 'wallMs');
    const bareRss = medianOf(bareKey(app, flag), 'rssKiB');
    for (const exporters of Object.keys(EXPORTERS) as Exporters[]) {
      const added = (entry: Entry) => ({
        wall: medianOf(caseKey(entry, app, flag, exporters), 'wallMs') - bareWall,
        rss: (medianOf(caseKey(entry, app, flag, exporters), 'rssKiB') - bareRss) / 1024,
      });
      const upstream = added('upstream');
      const ours = added('ours');
      const wallRatio = ours.wall / upstream.wall;
      const rssRatio = ours.rss / upstream.rss;
      targetsMet &&= wallRatio <= WALL_TARGET && rssRatio <= RSS_TARGET;
      rows.push([
        `${app}, ${flag}, ${exporters}`,
        `${bareWall.toFixed(0)} ms / ${(bareRss / 1024).toFixed(0)} MiB`,
        `+${upstream.wall.toFixed(0)} ms`,
        `+${ours.wall.toFixed(0)} ms`,
        `${wallRatio.toFixed(2)}×`,
        `+${upstream.rss.toFixed(1)} MiB`,
        `+${ours.rss.toFixed(1)} MiB`,
        `${rssRatio.toFixed(2)}×`,
      ]);
    }
    const withRuntime = caseKey('ours', app, flag, RUNTIME_EXPORTERS);
    runtimeRows.push([
      `${app}, ${flag}, ${RUNTIME_EXPORTERS}`,
      `+${(medianOf(withRuntime, 'wallMs') - medianOf(runtimeOffKey(app, flag), 'wallMs')).toFixed(0)} ms`,
      `+${((medianOf(withRuntime, 'rssKiB') - medianOf(runtimeOffKey(app, flag), 'rssKiB')) / 1024).toFixed(1)} MiB`,
    ]);
  }
}

const counted = spawnSync(process.execPath, ['--require', COUNT_MODULES, '--require', ENTRIES.ours, '-e', ''], { cwd: APPS, env: { ...process.env, ...EXPORTERS.none, ...ENTRY_ENV.ours }, encoding: 'utf8' });
const modules = Number(/DYNTEL_BENCH_MODULES (\d+)/.exec(counted.stderr)?.[1] ?? NaN);

console.log(`${benchEnvironment()}; medians of ${ROUNDS} interleaved rounds, wall time from spawn to exit, peak RSS of the process\n`);
console.log(
  markdownTable(
    ['app, flag, exporters', 'bare node', 'upstream adds', 'ours adds', 'wall ratio', 'upstream adds', 'ours adds', 'RSS ratio'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  ),
);
console.log(`\nWhat the Node.js runtime metrics add to ours (default against DYNTEL_RUNTIME_METRICS=false, same run):\n`);
console.log(markdownTable(['app, flag, exporters', 'wall time', 'peak RSS'], runtimeRows, ['left', 'right', 'right']));
console.log(`\nTarget: ours adds at most ${WALL_TARGET}× upstream's wall time and ${RSS_TARGET}× its peak RSS: ${targetsMet ? 'met in every row' : 'NOT met in every row'}.`);
console.log(`CommonJS modules loaded by node --require @dyntel/register -e "" (every exporter none, no auto-instrumentations): ${modules} (budget ${MODULE_BUDGET})${modules <= MODULE_BUDGET ? '' : ': OVER BUDGET'}`);
if (!(modules <= MODULE_BUDGET)) process.exitCode = 1;
otlp.close();
