/**
 * Latency from `span.end()` to the awaiting test resuming: recorder.waitForSpan versus
 * vi.waitFor and expect.poll at their defaults (50 ms interval) over an InMemorySpanExporter.
 * Run: npm run bench:latency -w @dyntel/test-span-assertions
 */
import {
  RESULTS_LEGEND,
  benchEnvironment,
  markdownTable,
  resultsTable,
  sampleStatistics,
  saveResults,
  type CaseResult,
} from '@dyntel/bench-kit';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Bench } from 'tinybench';
import { expect, it, vi } from 'vitest';
import { createRecorder } from '../src/index';

const recorder = createRecorder({ maxSpans: 1_000 });
// Never reset and pre-filled: shows that resuming does not depend on how much is recorded.
const fullRecorder = createRecorder({ maxSpans: 10_000, report: () => {} });
const exporter = new InMemorySpanExporter();
const tracer = new TracerProvider({
  spanProcessors: [recorder.spanProcessor, fullRecorder.spanProcessor, new SimpleSpanProcessor({ exporter })],
}).getTracer('bench');
for (let i = 0; i < 10_000; i++) tracer.startSpan('noise').end();

const RECORDER_ITERATIONS = 2_000;
const POLL_ITERATIONS = 40;
const POLL_INTERVAL_MS = 50;
const PEER = 'vi.waitFor (defaults)';

/**
 * One measurement: the wait starts, the span ends a little later on a timer (as real work
 * would, at an arbitrary phase of any polling interval), and the time from `end()` to the
 * awaiting code running again is recorded.
 */
async function measure(samples: number[], wait: (name: string) => Promise<unknown>, delayMs: () => number): Promise<void> {
  exporter.reset();
  recorder.reset();
  const name = `op-${samples.length}-${Math.random()}`;
  const span = tracer.startSpan(name);
  let endedAt = 0;
  const waiting = wait(name);
  setTimeout(() => {
    endedAt = performance.now();
    span.end();
  }, delayMs());
  await waiting;
  samples.push(performance.now() - endedAt);
}

const exported = (name: string) => exporter.getFinishedSpans().some((s) => s.name === name);
const randomPhase = () => Math.random() * POLL_INTERVAL_MS;

it('latency from span.end() to the test resuming', async () => {
  const approaches: Array<{ name: string; iterations: number; wait: (name: string) => Promise<unknown>; delay: () => number }> = [
    // Event-driven: the ending phase does not matter, so the span ends on the next timer tick.
    { name: 'recorder.waitForSpan', iterations: RECORDER_ITERATIONS, wait: (n) => recorder.waitForSpan(n), delay: () => 0 },
    { name: 'recorder.waitForSpan, 10,000 spans buffered', iterations: RECORDER_ITERATIONS, wait: (n) => fullRecorder.waitForSpan(n), delay: () => 0 },
    { name: PEER, iterations: POLL_ITERATIONS, wait: (n) => vi.waitFor(() => expect(exported(n)).toBe(true)), delay: randomPhase },
    { name: 'expect.poll (defaults)', iterations: POLL_ITERATIONS, wait: (n) => expect.poll(() => exported(n)).toBe(true), delay: randomPhase },
  ];
  const samples: Record<string, number[]> = {};
  for (const approach of approaches) {
    const own: number[] = (samples[approach.name] = []);
    // tinybench drives the iterations; the latency itself is measured from end() inside.
    const bench = new Bench({ iterations: approach.iterations, time: 0, warmup: false });
    bench.add(approach.name, () => measure(own, approach.wait, approach.delay));
    await bench.run();
  }

  const results = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, sampleStatistics(v)]));
  const ours = results['recorder.waitForSpan']!.median;
  const summary = {
    node: process.version,
    date: new Date().toISOString(),
    results,
    speedup: {
      'vi.waitFor': results['vi.waitFor (defaults)']!.median / ours,
      'expect.poll': results['expect.poll (defaults)']!.median / ours,
    },
  };
  // The figure per case is the median latency, compared with vi.waitFor, the nearest alternative.
  const rows: CaseResult[] = Object.entries(results).map(([name, s]) => ({
    name,
    nsPerOp: s.median * 1e6,
    rme: s.rme,
    ...(name === PEER ? {} : { peer: PEER }),
  }));
  console.log(`${benchEnvironment()}; median latency from span.end() to the test resuming\n`);
  console.log(`${resultsTable(rows, { unit: 'ms' })}\n`);
  console.log(
    markdownTable(
      ['approach', 'median ms', 'p95 ms', 'samples'],
      Object.entries(results).map(([name, s]) => [name, s.median.toFixed(4), s.p95.toFixed(4), String(s.count)]),
      ['left', 'right', 'right', 'right'],
    ),
  );
  console.log(`\n${RESULTS_LEGEND}\n`);
  console.log(`speedup (median): vi.waitFor ${summary.speedup['vi.waitFor'].toFixed(0)}x, expect.poll ${summary.speedup['expect.poll'].toFixed(0)}x`);
  saveResults('test-span-assertions-latency', summary);
});
