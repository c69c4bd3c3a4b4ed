// What the live view costs the process it serves. The same application (bench/app.cjs: one
// opossum breaker, LIVE_BENCH_RATE calls a second (200 by default), metrics on the register's
// Prometheus endpoint) runs under
// --require @dyntel/register three ways: without the live view, with it on and no page open,
// and with it on and one page's event stream open (read by this script, as a browser's
// EventSource would). For each, the CPU time the process used over LIVE_BENCH_SECONDS (60 by
// default) after start-up, from /proc/<pid>/stat, and its per-call cost (breaker.fire() in a
// row). Medians of LIVE_BENCH_ROUNDS rounds (3 by default), interleaved. Linux only.
// npm run bench -w @dyntel/live-view
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchEnvironment, markdownTable } from '@dyntel/bench-kit';

const SECONDS = Number(process.env.LIVE_BENCH_SECONDS ?? 60);
const RATE = Number(process.env.LIVE_BENCH_RATE ?? 200);
const ROUNDS = Number(process.env.LIVE_BENCH_ROUNDS ?? 3);
const APP = fileURLToPath(new URL('./app.cjs', import.meta.url));
const CLOCK_TICKS = 100;

type Case = 'live view off' | 'on, no page open' | 'on, one page open';
const CASES: Case[] = ['live view off', 'on, no page open', 'on, one page open'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function run(which: Case): Promise<{ cpuMillisPerMinute: number; perCallNs: number; frames: number }> {
  const [metricsPort, livePort] = [await freePort(), await freePort()];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    DYNTEL_AUTO_INSTRUMENTATIONS: 'false',
    LIVE_BENCH_RATE: String(RATE),
    ...(which !== 'live view off' && { DYNTEL_LIVE_PORT: String(livePort), DYNTEL_LIVE_HOST: '127.0.0.1' }),
  };
  const child = spawn(process.execPath, ['--require', '@dyntel/register', APP], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const line = async () => String((await lines.next()).value);
  const perCallNs = Number(/^PER_CALL (\d+)$/.exec(await line())?.[1]);
  if ((await line()) !== 'READY') throw new Error('the bench application did not start');
  let frames = 0;
  let stream: ReturnType<typeof request> | undefined;
  if (which === 'on, one page open') {
    stream = request({ host: '127.0.0.1', port: livePort, path: '/api/v1/stream' }).end();
    const [res] = (await once(stream, 'response')) as [IncomingMessage];
    res.on('data', (chunk: Buffer) => (frames += chunk.toString('utf8').split('event: sample').length - 1));
  }
  const before = cpuSeconds(child.pid!);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const used = cpuSeconds(child.pid!) - before;
  stream?.destroy();
  child.kill('SIGTERM');
  await once(child, 'close');
  return { cpuMillisPerMinute: (used * 1000 * 60) / SECONDS, perCallNs, frames };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = new Map<Case, Array<Awaited<ReturnType<typeof run>>>>(CASES.map((c) => [c, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const which of CASES) results.get(which)!.push(await run(which));
}

const off = median(results.get('live view off')!.map((r) => r.cpuMillisPerMinute));
console.log(`${benchEnvironment()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end; the breaker fired ${RATE} times a second; ${SECONDS} s a case, medians of ${ROUNDS} interleaved rounds; CPU time from /proc (10 ms ticks)\n`);
console.log(
  markdownTable(
    ['case', 'CPU per minute', 'above live view off', 'per breaker call', 'samples sent'],
    CASES.map((which) => {
      const runs = results.get(which)!;
      const cpu = median(runs.map((r) => r.cpuMillisPerMinute));
      return [which, `${cpu.toFixed(0)} ms`, which === 'live view off' ? '' : `${cpu - off >= 0 ? '+' : ''}${(cpu - off).toFixed(0)} ms`, `${median(runs.map((r) => r.perCallNs))} ns`, which === 'on, one page open' ? String(median(runs.map((r) => r.frames))) : ''];
    }),
    ['left', 'right', 'right', 'right', 'right'],
  ),
);
