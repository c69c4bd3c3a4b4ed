/**
 * A 10,000-span test run: retained memory stays within the configured buffer bound.
 * Run: npm run bench:memory -w @dyntel/test-span-assertions (builds, then runs on dist/).
 */
import { benchEnvironment, markdownTable, saveResults } from '@dyntel/bench-kit';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createRecorder } from '@dyntel/test-span-assertions';

const SPANS = 10_000;
const CHECKPOINTS = [1_000, 2_000, 5_000, 10_000];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function heapMiB(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Emits SPANS spans with a few attributes and an event each; heap after GC at checkpoints. */
function run(maxSpans: number) {
  const recorder = createRecorder({ maxSpans, maxEvents: maxSpans, report: () => {} });
  const tracer = new TracerProvider({ spanProcessors: [recorder.spanProcessor] }).getTracer('memory');
  const baseline = heapMiB();
  const heap: Record<number, number> = {};
  for (let i = 1; i <= SPANS; i++) {
    const span = tracer.startSpan('work', {
      attributes: { 'resilience.circuit_breaker.name': `b${i % 10}`, i, payload: 'x'.repeat(64), ok: true },
    });
    span.addEvent('step', { i });
    span.end();
    if (CHECKPOINTS.includes(i)) heap[i] = heapMiB() - baseline;
  }
  return { maxSpans, retainedSpans: recorder.spans().length, dropped: recorder.droppedCounts, heapGrowthMiB: heap };
}

const bounded = run(1_000);
const unbounded = run(SPANS);
const summary = { node: process.version, date: new Date().toISOString(), spans: SPANS, bounded, unbounded };
console.log(`${benchEnvironment()}; ${SPANS.toLocaleString('en')} spans, heap after GC\n`);
console.log(
  markdownTable(
    ['maxSpans', 'retained', 'dropped', `heap growth (MiB) @${CHECKPOINTS.join(' / ')} spans`],
    [bounded, unbounded].map((r) => [
      String(r.maxSpans),
      String(r.retainedSpans),
      String(r.dropped.spans),
      CHECKPOINTS.map((c) => r.heapGrowthMiB[c]!.toFixed(2)).join(' / '),
    ]),
    ['right', 'right', 'right', 'right'],
  ),
);
const flat = bounded.heapGrowthMiB[10_000]! - bounded.heapGrowthMiB[2_000]!;
console.log(`\nbounded recorder: heap change from 2,000 to 10,000 spans: ${flat.toFixed(2)} MiB`);
if (bounded.retainedSpans !== 1_000) throw new Error(`expected 1,000 retained spans, got ${bounded.retainedSpans}`);
saveResults('test-span-assertions-memory', summary);
