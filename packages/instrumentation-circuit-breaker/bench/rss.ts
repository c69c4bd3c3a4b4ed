// Peak resident memory of 1,000,000 opossum calls with every span sampled, each case in a
// fresh child process, next to the same calls bare and the SDK's floor (the same spans and
// durations made with plain tracer.startSpan/end and histogram.record, no instrumentation):
//   npm run build -w @dyntel/instrumentation-kit -w @dyntel/instrumentation-circuit-breaker
//   node --experimental-strip-types --no-warnings=ExperimentalWarning packages/instrumentation-circuit-breaker/bench/rss.ts
// The in-process cases export to an exporter that drops spans; the register cases load
// `--import @dyntel/register` (build it too) exporting OTLP/HTTP to a local receiver that
// answers every request. RSS_CALLS and RSS_BATCH (calls in flight at once) change the load,
// RSS_RUNS the runs per case (the table shows the lowest and highest).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { markdownTable } from '@dyntel/bench-kit';
import type CircuitBreakerType from 'opossum';

/** What one child measures. */
interface Measurement {
  peakRssMb: number;
  /** The highest heap size V8 reserved, sampled every 100 batches. */
  peakHeapTotalMb: number;
  /** Heap in use after a full collection at the end: what stays. */
  heapAfterMb: number;
  seconds: number;
  calls: number;
}

/** One row: how the child is started and what it does per call. */
interface RssCase {
  name: string;
  /** bare: opossum only; floor: plain SDK spans and durations around each call; dyntel: the instrumentation. */
  work: 'bare' | 'floor' | 'dyntel';
  /**
   * Who provides the SDK: none; this process, with a BatchSpanProcessor and an exporter that
   * drops spans, or with no span processor (spans are sampled and ended, then forgotten); or
   * `--import @dyntel/register`.
   */
  sdk: 'none' | 'in-process' | 'in-process, no span processor' | 'register';
}

const CASES: RssCase[] = [
  { name: 'opossum fire(), no SDK', work: 'bare', sdk: 'none' },
  { name: 'SDK floor: plain spans + durations, in-process SDK, no span processor', work: 'floor', sdk: 'in-process, no span processor' },
  { name: 'dyntel instrumentation, in-process SDK, no span processor', work: 'dyntel', sdk: 'in-process, no span processor' },
  { name: 'SDK floor: plain spans + durations, in-process SDK', work: 'floor', sdk: 'in-process' },
  { name: 'dyntel instrumentation, in-process SDK', work: 'dyntel', sdk: 'in-process' },
  { name: '--import @dyntel/register, circuit-breaker disabled, plain spans + durations', work: 'floor', sdk: 'register' },
  { name: '--import @dyntel/register', work: 'dyntel', sdk: 'register' },
];

const CALLS = Number(process.env.RSS_CALLS ?? 1_000_000);
const BATCH = Number(process.env.RSS_BATCH ?? 1_000);
const RUNS = Number(process.env.RSS_RUNS ?? 3);
const SELF = fileURLToPath(import.meta.url);

if (process.env.RSS_CHILD !== undefined) await child(JSON.parse(process.env.RSS_CHILD) as RssCase);
else await parent();

async function parent(): Promise<void> {
  const receiver = await startReceiver();
  const address = receiver.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const rows: string[][] = [];
  let bare: number | undefined;
  for (const rssCase of CASES) {
    const runs: Measurement[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await runChild(rssCase, endpoint));
    const peaks = runs.map((m) => m.peakRssMb);
    const low = Math.min(...peaks);
    const high = Math.max(...peaks);
    bare ??= low;
    rows.push([
      rssCase.name,
      `${low.toFixed(0)}–${high.toFixed(0)}`,
      (low / bare).toFixed(2),
      Math.max(...runs.map((m) => m.peakHeapTotalMb)).toFixed(0),
      Math.max(...runs.map((m) => m.heapAfterMb)).toFixed(1),
      (runs.reduce((sum, m) => sum + m.seconds, 0) / runs.length).toFixed(1),
    ]);
  }
  receiver.close();
  console.log(`${CALLS.toLocaleString('en')} calls, ${BATCH.toLocaleString('en')} in flight at once, ${RUNS} runs per case, Node ${process.versions.node}\n`);
  console.log(
    markdownTable(['case', 'peak RSS, MB', 'lowest / bare', 'peak heap reserved, MB', 'heap after, MB', 'seconds'], rows, ['left', 'right', 'right', 'right', 'right', 'right']),
  );
}

function runChild(rssCase: RssCase, endpoint: string): Promise<Measurement> {
  const nodeArgs = ['--expose-gc', '--experimental-strip-types', '--no-warnings=ExperimentalWarning'];
  if (rssCase.sdk === 'register') nodeArgs.push('--import', '@dyntel/register');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RSS_CHILD: JSON.stringify(rssCase),
    OTEL_SERVICE_NAME: 'rss-bench',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_LOGS_EXPORTER: 'none',
  };
  if (rssCase.work === 'floor') env.DYNTEL_DISABLED_INSTRUMENTATIONS = 'circuit-breaker';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, SELF], { env, cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RSS '));
      if (line === undefined) return reject(new Error(`${rssCase.name}: exited with ${code} before measuring\n${stdout}`));
      // The measurement is taken before exit: a failure at exit is reported, not fatal.
      if (code !== 0) console.error(`${rssCase.name}: exited with ${code} after measuring`);
      resolve(JSON.parse(line.slice(4)) as Measurement);
    });
  });
}

/** An OTLP/HTTP receiver that reads every request to its end and answers 200 with an empty body. */
function startReceiver(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function child(rssCase: RssCase): Promise<void> {
  const api = await import('@opentelemetry/api');
  if (rssCase.sdk.startsWith('in-process')) await startInProcessSdk(rssCase.work === 'dyntel', rssCase.sdk === 'in-process');
  const require = createRequire(import.meta.url);
  const CircuitBreaker = require('opossum') as typeof CircuitBreakerType;
  const breaker = new CircuitBreaker(async (i: number) => i, { name: 'rss', rollingPercentilesEnabled: false });

  const tracer = api.trace.getTracer('rss-floor');
  const duration = api.metrics.getMeter('rss-floor').createHistogram('rss.floor.duration', { unit: 's' });
  const floorAttributes = { 'resilience.circuit_breaker.name': 'rss', 'resilience.circuit_breaker.outcome': 'success' };
  const spanOptions = { kind: api.SpanKind.INTERNAL, attributes: { 'resilience.circuit_breaker.name': 'rss', 'resilience.circuit_breaker.state': 'closed' } };
  // What the instrumentation must do per call, done with the plain API: the SDK's own cost.
  const floorCall = (i: number): Promise<unknown> => {
    const start = performance.now();
    const span = tracer.startSpan('circuit_breaker.call rss', spanOptions);
    const result = api.context.with(api.trace.setSpan(api.context.active(), span), () => breaker.fire(i));
    return result.then((value) => {
      duration.record((performance.now() - start) / 1000, floorAttributes);
      span.setAttribute('resilience.circuit_breaker.outcome', 'success');
      span.setAttribute('resilience.fallback.executed', false);
      span.end();
      return value;
    });
  };
  const call = rssCase.work === 'floor' ? floorCall : (i: number) => breaker.fire(i);

  let peakHeapTotal = 0;
  const started = performance.now();
  for (let start = 0; start < CALLS; start += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < start + BATCH; i++) batch.push(call(i));
    await Promise.all(batch);
    if ((start / BATCH) % 100 === 0) peakHeapTotal = Math.max(peakHeapTotal, process.memoryUsage().heapTotal);
  }
  const seconds = (performance.now() - started) / 1000;
  breaker.shutdown();
  globalThis.gc?.();
  const measurement: Measurement = {
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapTotalMb: peakHeapTotal / 2 ** 20,
    heapAfterMb: process.memoryUsage().heapUsed / 2 ** 20,
    seconds,
    calls: CALLS,
  };
  process.stdout.write(`RSS ${JSON.stringify(measurement)}\n`);
}

async function startInProcessSdk(instrumented: boolean, exported: boolean): Promise<void> {
  const [api, { AsyncLocalStorageContextManager }, { registerInstrumentations }, { benchSdk }, { AlwaysOnSampler, TracerProvider }, breakers] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/instrumentation'),
      import('@dyntel/bench-kit'),
      import('@opentelemetry/sdk-trace'),
      import('@dyntel/instrumentation-circuit-breaker'),
    ]);
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const sdk = benchSdk('sampled');
  api.trace.setGlobalTracerProvider(exported ? sdk.tracerProvider! : new TracerProvider({ sampler: new AlwaysOnSampler() }));
  api.metrics.setGlobalMeterProvider(sdk.meterProvider);
  if (instrumented) registerInstrumentations({ instrumentations: [new breakers.CircuitBreakerInstrumentation()] });
}
