// SDK parts the benches plug in so that nothing but the measured work runs: a metric reader
// that collects only when the bench asks, and a span exporter that drops what it is given.
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** A metric reader collected by hand. */
export class IdleReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A span exporter that reports success and keeps nothing. */
export class DiscardingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}
