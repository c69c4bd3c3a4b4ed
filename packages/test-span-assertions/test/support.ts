import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createRecorder, type Recorder, type RecorderOptions } from '../src/index';

// Active spans and test scopes need a context manager; installRecorder() registers one, the
// private setups below rely on this (a no-op when one is registered already).
const contextManager = new AsyncLocalStorageContextManager().enable();
if (!context.setGlobalContextManager(contextManager)) contextManager.disable();

/** A recorder wired to private (non-global) providers, so tests do not share state. */
export function privateSetup(options: RecorderOptions = {}) {
  const recorder: Recorder = createRecorder({ timeoutMillis: 2_000, ...options });
  const tracerProvider = new TracerProvider({ spanProcessors: [recorder.spanProcessor] });
  const meterProvider = new MeterProvider({ readers: [recorder.metricReader] });
  const loggerProvider = new LoggerProvider({ processors: [recorder.logRecordProcessor] });
  return {
    recorder,
    tracer: tracerProvider.getTracer('test'),
    meter: recorder.wrapMeterProvider(meterProvider).getMeter('test'),
    rawMeter: meterProvider.getMeter('raw'),
    logger: loggerProvider.getLogger('test'),
  };
}
