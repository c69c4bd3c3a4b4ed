// The configurations every instrumentation is benchmarked in, named by what the SDK must do
// for each call, and the SDK set-up for each: metrics always on, spans absent (no tracer
// provider), dropped by the sampler (as a root or under a parent the sampler dropped), or
// sampled and exported through a BatchSpanProcessor.
import { ROOT_CONTEXT, TraceFlags, context, trace, type Context } from '@opentelemetry/api';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { DiscardingLogExporter, DiscardingSpanExporter, IdleMetricReader } from './idle-sdk.ts';

/** What the SDK must do per call: record metrics, and start no span, an unsampled one or a sampled one. */
export type SdkConfiguration = 'metrics only' | 'unsampled root' | 'under an unsampled parent' | 'sampled';

/** Every configuration, in the order benchmarks report them. */
export const SDK_CONFIGURATIONS: readonly SdkConfiguration[] = ['metrics only', 'unsampled root', 'under an unsampled parent', 'sampled'];

/** How case names describe each configuration, e.g. `opossum + dyntel (span sampled)`. */
export const CONFIGURATION_LABELS: Readonly<Record<SdkConfiguration, string>> = {
  'metrics only': 'metrics only, no tracer provider',
  'unsampled root': 'span not sampled',
  'under an unsampled parent': 'span not sampled, under an unsampled parent',
  sampled: 'span sampled',
};

/**
 * What an SDK makes active for a request that its sampler dropped: a local non-recording span
 * with the sampled flag off.
 */
export const UNSAMPLED_PARENT: Context = trace.setSpan(
  ROOT_CONTEXT,
  trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE }),
);

/** The providers an instrumentation is given for one configuration. */
export interface BenchSdk {
  meterProvider: MeterProvider;
  /** Collects the meter provider's metrics when asked, never on its own. */
  metricReader: IdleMetricReader;
  /** Absent for 'metrics only': the instrumentation uses the global no-op tracer. */
  tracerProvider: TracerProvider | undefined;
  loggerProvider: LoggerProvider;
}

/** Fresh providers for `configuration`, exporting to exporters that drop everything. */
export function benchSdk(configuration: SdkConfiguration): BenchSdk {
  const metricReader = new IdleMetricReader();
  const tracerProvider =
    configuration === 'metrics only'
      ? undefined
      : new TracerProvider({
          sampler: configuration === 'sampled' ? new AlwaysOnSampler() : new AlwaysOffSampler(),
          spanProcessors: [new BatchSpanProcessor({ exporter: new DiscardingSpanExporter() })],
        });
  return {
    meterProvider: new MeterProvider({ readers: [metricReader] }),
    metricReader,
    tracerProvider,
    loggerProvider: new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: new DiscardingLogExporter() })] }),
  };
}

/** Runs `work` as a call in `configuration` must run: inside UNSAMPLED_PARENT for 'under an unsampled parent'. */
export function runIn<T>(configuration: SdkConfiguration, work: () => T): T {
  return configuration === 'under an unsampled parent' ? context.with(UNSAMPLED_PARENT, work) : work();
}
