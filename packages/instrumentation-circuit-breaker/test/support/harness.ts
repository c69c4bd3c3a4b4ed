import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { context, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider, type ReadableSpan, type Sampler } from '@opentelemetry/sdk-trace';
import { MeterProvider, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { createRecorder, type RecordedEvent } from '@dyntel/test-span-assertions';
import { CircuitBreakerInstrumentation } from '../../src/instrumentation';
import type { CircuitBreakerInstrumentationConfig } from '../../src/types';

const require = createRequire(import.meta.url);

/** The opossum packages installed for tests: the real name and the npm aliases. */
export const OPOSSUM_PACKAGES = ['opossum-v6', 'opossum-v7', 'opossum-v8', 'opossum-v9', 'opossum'] as const;
/** The cockatiel packages installed for tests: v3 (CJS, alias) and v4 (ESM only). */
export const COCKATIEL_PACKAGES = ['cockatiel-v3', 'cockatiel'] as const;

/** A package's installed version. */
export function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

/** A metric data point, flattened. */
export interface Point {
  name: string;
  attributes: Attributes;
  /** Sum of a counter, value of a gauge or up-down counter, count of a histogram. */
  value: number;
  /** Histogram data, when the point is a histogram's. */
  sum?: number;
  boundaries?: number[];
}

let contextManagerInstalled = false;

/** In-memory providers wired to a fresh instrumentation, with readers for what it emitted. */
export class Harness {
  /** Spans and events go to a test-span-assertions recorder: waits are event-driven there. */
  readonly recorder = createRecorder();
  readonly tracerProvider: TracerProvider;
  readonly meterProvider = new MeterProvider({ readers: [this.recorder.metricReader] });
  readonly loggerProvider = new LoggerProvider({ processors: [this.recorder.logRecordProcessor] });
  readonly instrumentation: CircuitBreakerInstrumentation;
  readonly #cleanups: (() => void)[] = [];

  constructor(config: CircuitBreakerInstrumentationConfig = {}, sampler?: Sampler) {
    if (!contextManagerInstalled) {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      contextManagerInstalled = true;
    }
    this.tracerProvider = new TracerProvider({
      spanProcessors: [this.recorder.spanProcessor],
      ...(sampler ? { sampler } : {}),
    });
    // Not enabled: in-process tests patch the aliased packages through the module
    // definitions; the require/import hooks are exercised in child processes.
    this.instrumentation = new CircuitBreakerInstrumentation({ ...config, enabled: false });
    this.instrumentation.setTracerProvider(this.tracerProvider);
    this.instrumentation.setMeterProvider(this.meterProvider);
    this.instrumentation.setLoggerProvider(this.loggerProvider);
  }

  #definition(name: 'opossum' | 'cockatiel') {
    const definition = this.instrumentation.getModuleDefinitions().find((d) => d.name === name);
    if (!definition?.patch || !definition.unpatch) throw new Error(`no module definition for ${name}`);
    return definition;
  }

  /** Requires an opossum package and patches it as the require hook would. */
  opossum<T>(pkg: string): T {
    const moduleExports = require(pkg) as T;
    const definition = this.#definition('opossum');
    definition.patch!(moduleExports, versionOf(pkg));
    this.#cleanups.push(() => definition.unpatch!(moduleExports, versionOf(pkg)));
    return moduleExports;
  }

  /** Imports a cockatiel package (v4 is ESM only) and patches its namespace as the import hook would. */
  async cockatiel<T>(pkg: string): Promise<T> {
    const moduleExports = (await import(pkg)) as T;
    const definition = this.#definition('cockatiel');
    definition.patch!(moduleExports, versionOf(pkg));
    this.#cleanups.push(() => definition.unpatch!(moduleExports, versionOf(pkg)));
    return moduleExports;
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

  /** Collects metrics now and flattens their data points. */
  async points(name?: string): Promise<Point[]> {
    const { resourceMetrics } = await this.recorder.metricReader.collect();
    const points: Point[] = [];
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics as MetricData[]) {
        if (name !== undefined && metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) {
          if (metric.dataPointType === DataPointType.HISTOGRAM) {
            const value = point.value as { count: number; sum?: number; buckets: { boundaries: number[] } };
            points.push({
              name: metric.descriptor.name,
              attributes: point.attributes,
              value: value.count,
              sum: value.sum,
              boundaries: value.buckets.boundaries,
            });
          } else {
            points.push({ name: metric.descriptor.name, attributes: point.attributes, value: point.value as number });
          }
        }
      }
    }
    return points;
  }

  /** Unpatches what this harness patched and shuts the providers down. */
  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown(), this.loggerProvider.shutdown()]);
  }
}
