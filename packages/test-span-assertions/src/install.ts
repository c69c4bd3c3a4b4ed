import { context, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type Sampler } from '@opentelemetry/sdk-trace';
import { Recorder, type RecorderOptions } from './recorder';

/** Options of {@link installRecorder}. */
export interface InstallOptions extends RecorderOptions {
  /** Resource of the installed providers. */
  resource?: Resource;
  /** Sampler of the installed tracer provider (always on by default). */
  sampler?: Sampler;
}

interface Installation {
  recorder: Recorder;
  providers: { tracer: TracerProvider; meter: MeterProvider; logger: LoggerProvider };
  contextManager?: AsyncLocalStorageContextManager;
}

// On globalThis, like the OpenTelemetry globals themselves: a test runner that re-evaluates
// modules per test file (vitest) must find the installation the first file made.
const INSTALLATION = Symbol.for('dyntel.test-span-assertions.installation');
type GlobalWithInstallation = typeof globalThis & { [INSTALLATION]?: Installation };

/** Creates a recorder to plug into your own SDK setup (see {@link Recorder}). */
export function createRecorder(options: RecorderOptions = {}): Recorder {
  return new Recorder(options);
}

function alreadyRegistered(signal: string, plug: string): Error {
  return new Error(
    `installRecorder(): a global ${signal} provider is already registered (by NodeSDK, @dyntel/register or another ` +
      `setup), and the recorder will not replace it. Either install the recorder before anything else registers ` +
      `providers, or plug it into the existing setup instead: const recorder = createRecorder(); ` +
      `new NodeSDK({ ${plug} }).`,
  );
}

/**
 * Registers global tracer, meter and logger providers that feed one recorder, plus an
 * AsyncLocalStorage context manager and W3C trace-context + baggage propagation when none is
 * registered (test scopes travel in baggage). Idempotent: later calls return the same recorder
 * and ignore their options.
 */
export function installRecorder(options: InstallOptions = {}): Recorder {
  const g = globalThis as GlobalWithInstallation;
  if (g[INSTALLATION]) return g[INSTALLATION].recorder;
  const { resource, sampler, ...recorderOptions } = options;
  const recorder = createRecorder(recorderOptions);
  const tracer = new TracerProvider({ resource, sampler, spanProcessors: [recorder.spanProcessor] });
  const meter = new MeterProvider({ resource, readers: [recorder.metricReader] });
  const logger = new LoggerProvider({ resource, processors: [recorder.logRecordProcessor] });

  if (!trace.setGlobalTracerProvider(tracer)) {
    throw alreadyRegistered('tracer', 'spanProcessors: [recorder.spanProcessor], ...');
  }
  if (!metrics.setGlobalMeterProvider(recorder.wrapMeterProvider(meter))) {
    trace.disable();
    throw alreadyRegistered('meter', 'metricReaders: [recorder.metricReader], ...');
  }
  if (!logs.setGlobalLoggerProvider(logger)) {
    trace.disable();
    metrics.disable();
    throw alreadyRegistered('logger', 'logRecordProcessors: [recorder.logRecordProcessor], ...');
  }
  // The separate logs API package keeps its own global; instrumentations use either.
  if (apiLogs.setGlobalLoggerProvider(logger) !== logger) {
    trace.disable();
    metrics.disable();
    logs.disable();
    throw alreadyRegistered('logger (@opentelemetry/api-logs)', 'logRecordProcessors: [recorder.logRecordProcessor], ...');
  }
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownContextManager = context.setGlobalContextManager(contextManager);
  if (!ownContextManager) contextManager.disable();
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  g[INSTALLATION] = { recorder, providers: { tracer, meter, logger }, contextManager: ownContextManager ? contextManager : undefined };
  return recorder;
}

/**
 * Undoes {@link installRecorder}: unregisters the global providers (and the context manager and
 * propagator it registered) and shuts them down. For test suites that test installation itself.
 */
export async function uninstallRecorder(): Promise<void> {
  const g = globalThis as GlobalWithInstallation;
  const installation = g[INSTALLATION];
  if (!installation) return;
  delete g[INSTALLATION];
  trace.disable();
  metrics.disable();
  logs.disable();
  apiLogs.disable();
  propagation.disable();
  if (installation.contextManager) context.disable();
  await Promise.all([
    installation.providers.tracer.shutdown(),
    installation.providers.meter.shutdown(),
    installation.providers.logger.shutdown(),
  ]);
}
