import { createRequire } from 'node:module';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { InstrumentationBase, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { TracerProvider, type ReadableSpan, type Sampler } from '@opentelemetry/sdk-trace';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { createRecorder, type RecordedEvent } from '@dyntel/test-span-assertions';
import { collectPoints, type Point } from './metric-points';
import { packageInfo, type PackageInfo } from './package-info';

const require = createRequire(import.meta.url);

/** Creates the instrumentation under test from the config the harness passes (hooks disabled). */
export type InstrumentationFactory<C extends InstrumentationConfig, I extends InstrumentationBase> = (config: C) => I;

/** How a harness is set up besides the instrumentation. */
export interface HarnessOptions {
  /** The tracer provider's sampler; the SDK default otherwise. */
  sampler?: Sampler;
}

let contextManagerInstalled = false;

/**
 * In-memory tracer, meter and logger providers wired to one instrumentation, with readers for what
 * it emitted. Spans, log records and metrics go to a test-span-assertions recorder, so waits are
 * event-driven. Libraries are patched through the instrumentation's own module definitions, as
 * its require and import hooks would patch them (those hooks are exercised in child processes).
 */
export class InstrumentationHarness<I extends InstrumentationBase, C extends InstrumentationConfig = InstrumentationConfig> {
  readonly recorder = createRecorder();
  readonly tracerProvider: TracerProvider;
  readonly meterProvider = new MeterProvider({ readers: [this.recorder.metricReader] });
  readonly loggerProvider = new LoggerProvider({ processors: [this.recorder.logRecordProcessor] });
  readonly instrumentation: I;
  readonly #cleanups: (() => void)[] = [];

  constructor(create: InstrumentationFactory<C, I>, config = {} as C, options: HarnessOptions = {}) {
    if (!contextManagerInstalled) {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      contextManagerInstalled = true;
    }
    this.tracerProvider = new TracerProvider({
      spanProcessors: [this.recorder.spanProcessor],
      ...(options.sampler ? { sampler: options.sampler } : {}),
    });
    // Not enabled: its hooks would patch whatever the process loads; the harness patches what the test asks for.
    this.instrumentation = create({ ...config, enabled: false });
    // What the harness patches is patched as an enabled instrumentation's hooks would patch it,
    // and wrappers of function exports (which cannot be taken back) pass calls through while
    // isEnabled() is false: it must say true, with no hook registered.
    (this.instrumentation as unknown as { _enabled: boolean })._enabled = true;
    this.instrumentation.setTracerProvider(this.tracerProvider);
    this.instrumentation.setMeterProvider(this.meterProvider);
    this.instrumentation.setLoggerProvider(this.loggerProvider);
  }

  /**
   * Patches module exports with the instrumentation's definition for `module.name`, passing the
   * version, as the hooks would; undone by {@link close}. Returns the exports.
   */
  patch<T>(moduleExports: T, module: PackageInfo): T {
    const definition = this.instrumentation.getModuleDefinitions().find((d) => d.name === module.name);
    if (!definition?.patch || !definition.unpatch) throw new Error(`${this.instrumentation.instrumentationName} has no module definition for ${module.name}`);
    const patched = (definition.patch(moduleExports, module.version) ?? moduleExports) as T;
    this.#cleanups.push(() => definition.unpatch!(patched, module.version));
    return patched;
  }

  /** Requires an installed package (an npm alias works: `opossum-v6`) and patches it as the require hook would. */
  require<T>(pkg: string): T {
    return this.patch(require(pkg) as T, packageInfo(pkg));
  }

  /**
   * Imports an installed package (ESM-only ones too) and patches its namespace as the import
   * hook would. A real namespace is read-only, while import-in-the-middle hands the hook one it
   * can write (a definition may replace an export: a wrapped `default`), so the patch goes to a
   * copy of the namespace, and the copy is returned: use it, not another `import()` of the package.
   */
  async import<T>(pkg: string): Promise<T> {
    return this.patch({ ...(await import(pkg)) } as T, packageInfo(pkg));
  }

  /** Finished spans. */
  spans(): ReadableSpan[] {
    return this.recorder.spans();
  }

  /** Emitted log records with the given event name. */
  events(name: string): RecordedEvent[] {
    return this.recorder.events().filter((e) => e.source === 'log' && e.name === name);
  }

  /** Waits for a log record (an event) with the name and (at least) the attributes. */
  waitForEvent(name: string, attributes: Record<string, string | number | boolean> = {}): Promise<RecordedEvent> {
    return this.recorder.waitForEvent({ name, attributes, source: 'log' });
  }

  /** Collects metrics now and flattens their data points (only those of `name` when given). */
  points(name?: string): Promise<Point[]> {
    return collectPoints(this.recorder.metricReader, name);
  }

  /** Unpatches what this harness patched and shuts the providers down. */
  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown(), this.loggerProvider.shutdown()]);
  }
}
