import { context, diag, DiagConsoleLogger, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { DyntelConfig } from './config';
import type { Pipelines } from './exporters';
import { contextAsyncHooks, sdkLogs, sdkMetrics, sdkTrace } from './lazy';
import { textMapPropagator } from './propagation';
import { detectResource } from './resource';

/** What {@link assembleSdk} registered, to flush and shut down at the end. */
export interface AssembledSdk {
  /** Whether some provider was registered: without one there is nothing to flush at the end. */
  readonly exports: boolean;
  /** Whether a logger provider was registered (some log exporter is configured). */
  readonly logs: boolean;
  /** Flushes and shuts down every provider that was registered. */
  shutdown(): Promise<void>;
}

/**
 * Registers what the NodeSDK's `start()` would, from the SDK packages themselves so that only
 * what the configuration uses is loaded: the instrumentations, the async-hooks context manager,
 * the propagators, and one provider per signal that has an exporter, with the resource, the
 * sampler and the limits. A signal without exporters gets no provider, no SDK package and no
 * resource detection.
 */
export function assembleSdk(config: DyntelConfig, instrumentations: Instrumentation[], pipelines: Pipelines, sampler: Sampler | undefined): AssembledSdk {
  // As the NodeSDK: OTEL_LOG_LEVEL, when set, also turns on the SDK's own diagnostics.
  if (process.env['OTEL_LOG_LEVEL']?.trim()) diag.setLogger(new DiagConsoleLogger(), { logLevel: config.logLevel });
  registerInstrumentations({ instrumentations });
  const contextManager = new (contextAsyncHooks().AsyncLocalStorageContextManager)();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  const propagator = textMapPropagator(config.propagators);
  if (propagator) propagation.setGlobalPropagator(propagator);

  const { spanProcessors, metricReaders, logRecordProcessors } = pipelines;
  const providers: Array<{ shutdown(): Promise<void> }> = [];
  if (spanProcessors.length + metricReaders.length + logRecordProcessors.length === 0) return { exports: false, logs: false, shutdown: async () => {} };
  const resource = detectResource(config.resourceDetectors, config.serviceName);

  let meterProvider;
  if (metricReaders.length > 0) {
    meterProvider = new (sdkMetrics().MeterProvider)({ resource, views: [], readers: metricReaders, sdkMetricsEnabled: config.sdkSelfMetrics });
    metrics.setGlobalMeterProvider(meterProvider);
    // The instrumentations took the no-op meter provider when registered: it had no global one yet.
    for (const instrumentation of instrumentations) instrumentation.setMeterProvider(metrics.getMeterProvider());
    providers.push(meterProvider);
  }
  const selfObservation = config.sdkSelfMetrics ? meterProvider : undefined;
  if (spanProcessors.length > 0) {
    const tracerProvider = new (sdkTrace().TracerProvider)({ ...(sampler && { sampler }), spanLimits: config.traces.limits, resource, meterProvider: selfObservation, spanProcessors });
    trace.setGlobalTracerProvider(tracerProvider);
    providers.push(tracerProvider);
  }
  if (logRecordProcessors.length > 0) {
    const loggerProvider = new (sdkLogs().LoggerProvider)({ logRecordLimits: config.logRecordLimits, resource, processors: logRecordProcessors, meterProvider: selfObservation });
    logs.setGlobalLoggerProvider(loggerProvider);
    providers.push(loggerProvider);
  }
  return {
    exports: true,
    logs: logRecordProcessors.length > 0,
    shutdown: () => Promise.all(providers.map((provider) => provider.shutdown())).then(() => undefined),
  };
}
