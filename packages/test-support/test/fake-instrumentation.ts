import { SpanStatusCode } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';

/** What the fake instrumentation's spans and metric are called. */
export const FAKE_SPAN = 'fake.reset';
export const FAKE_METRIC = 'fake.resets';
export const FAKE_EVENT = 'fake.reset.done';

/** The fake's config: a hook it calls for every call, which may throw. */
export interface FakeConfig extends InstrumentationConfig {
  onCall?: () => void;
}

type Exports = { InMemorySpanExporter: typeof InMemorySpanExporter };

/**
 * An instrumentation of something every test-support test has installed:
 * `InMemorySpanExporter.prototype.reset` of `@opentelemetry/sdk-trace` (CJS and ESM builds). Each call
 * gets a span, a counter increment and a log record, so the harness's wiring can be observed.
 */
export class FakeInstrumentation extends InstrumentationBase<FakeConfig> {
  constructor(config: FakeConfig = {}) {
    super('@dyntel/fake-instrumentation', '0.0.0', config);
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        '@opentelemetry/sdk-trace',
        ['*'],
        (moduleExports: Exports) => {
          this._wrap(moduleExports.InMemorySpanExporter.prototype, 'reset', (original) => this.#wrapReset(original));
          return moduleExports;
        },
        (moduleExports: Exports) => this._unwrap(moduleExports.InMemorySpanExporter.prototype, 'reset'),
      ),
    ];
  }

  #wrapReset(original: () => void): () => void {
    // Read per call: providers set after patching apply, as in a real instrumentation.
    const current = () => ({ config: this.getConfig(), tracer: this.tracer, meter: this.meter, logger: this.logger });
    return function reset(this: InMemorySpanExporter): void {
      const { config, tracer, meter, logger } = current();
      config.onCall?.();
      const span = tracer.startSpan(FAKE_SPAN, { attributes: { 'fake.outcome': 'success' } });
      try {
        original.call(this);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
        meter.createCounter(FAKE_METRIC).add(1, { 'fake.outcome': 'success' });
        logger.emit({ eventName: FAKE_EVENT, attributes: { 'fake.outcome': 'success' } });
      }
    };
  }
}
