// SDK parts a benchmark plugs in so that nothing but the measured work runs: a metric reader
// that collects only when the benchmark asks, and exporters that drop what they are given.
import type { ReadableLogRecord, LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** The SDK's `ExportResultCode.SUCCESS`, without a dependency on `@opentelemetry/core`. */
const SUCCESS = 0;

/** A metric reader that never collects on its own: the benchmark calls `collect()`. */
export class IdleMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A span exporter that reports success and keeps nothing. */
export class DiscardingSpanExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    done({ code: SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

/** A log record exporter that reports success and keeps nothing. */
export class DiscardingLogExporter implements LogRecordExporter {
  export(_records: ReadableLogRecord[], done: (result: { code: number }) => void): void {
    done({ code: SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}
