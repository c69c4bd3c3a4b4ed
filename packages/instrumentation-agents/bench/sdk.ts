// The SDK set-ups the agents bench measures in: metrics only (no tracer provider), and metrics
// with per-message spans sampled at 1% (a parent-based trace-id ratio sampler, as a production
// set-up that keeps a fraction of traces would have), exported through a BatchSpanProcessor to
// an exporter that drops everything.
import { benchSdk, DiscardingSpanExporter, type BenchSdk } from '@dyntel/bench-kit';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';

/** What the bench's SDK records: metrics only, or metrics and 1% of per-message spans. */
export type AgentsSetup = 'metrics only' | 'spans at 1%';

/** The ratio of traces the sampled set-up keeps. */
export const SAMPLED_RATIO = 0.01;

/** Fresh providers for `setup`. */
export function agentsSdk(setup: AgentsSetup): BenchSdk {
  const sdk = benchSdk('metrics only');
  if (setup === 'metrics only') return sdk;
  const tracerProvider = new TracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(SAMPLED_RATIO) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new DiscardingSpanExporter() })],
  });
  return { ...sdk, tracerProvider };
}
