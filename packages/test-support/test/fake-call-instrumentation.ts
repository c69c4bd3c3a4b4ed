import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { BindOnceFuture } from '@opentelemetry/core';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, type InstrumentationConfig } from '@opentelemetry/instrumentation';

/** The fake's span, duration histogram and failure event. */
export const FAKE_CALL_SPAN = 'fake.call';
export const FAKE_CALL_DURATION = 'fake.call.duration';
export const FAKE_CALL_FAILED = 'fake.call.failed';

/** The fake's config: a hook called at every call, which the contract's fault test makes throw. */
export interface FakeCallConfig extends InstrumentationConfig {
  onCall?: () => void;
}

type Future = BindOnceFuture<unknown>;
type Exports = { BindOnceFuture: { prototype: Future } };

/** Runs `fn`, swallowing what instrumentation code throws: telemetry never changes behaviour. */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * A minimal well-behaved instrumentation for the contract suite's own test: it wraps
 * `BindOnceFuture.prototype.call` of `@opentelemetry/core` (a callback run once, with a bound
 * `this`, its result returned as a promise). Each call gets a span with `error.type` on failure,
 * a duration point, and a log record when it fails; it has no outcome attribute, like a retry attempt.
 */
export class FakeCallInstrumentation extends InstrumentationBase<FakeCallConfig> {
  constructor(config: FakeCallConfig = {}) {
    super('@dyntel/fake-call-instrumentation', '0.0.0', config);
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        '@opentelemetry/core',
        ['*'],
        (moduleExports: Exports) => {
          this._wrap(moduleExports.BindOnceFuture.prototype, 'call', (original) => this.#wrapCall(original));
          return moduleExports;
        },
        (moduleExports: Exports) => this._unwrap(moduleExports.BindOnceFuture.prototype, 'call'),
      ),
    ];
  }

  #wrapCall(original: Future['call']): Future['call'] {
    const current = () => this;
    return function call(this: Future, ...args: unknown[]): Promise<unknown> {
      const instrumentation = current();
      safely(() => instrumentation.getConfig().onCall?.());
      const started = performance.now();
      const span: Span | undefined = safely(() => instrumentation.tracer.startSpan(FAKE_CALL_SPAN));
      const result = Reflect.apply(original, this, args) as Promise<unknown>;
      const end = (error?: unknown) =>
        safely(() => {
          const errorType = error === undefined ? {} : { 'error.type': (error as Error).constructor.name };
          if (error !== undefined) {
            span?.setAttributes(errorType).setStatus({ code: SpanStatusCode.ERROR });
            instrumentation.logger.emit({ eventName: FAKE_CALL_FAILED, attributes: errorType });
          }
          span?.end();
          instrumentation.meter.createHistogram(FAKE_CALL_DURATION).record((performance.now() - started) / 1000, errorType);
        });
      result.then(() => end(), end);
      return result;
    };
  }
}
