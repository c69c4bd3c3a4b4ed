import type { Attributes } from '@opentelemetry/api';
import type { DyntelConfig } from './config';
import type { Diagnostics } from './diagnostics';
import { OTEL_BLRP, OTEL_BSP } from './env-variables';
import { LateMeterProvider } from './late-meter-provider';

/** After the first line, at most one line this often: a sustained overload must not flood stderr. */
export const DROP_LINE_INTERVAL_MILLIS = 60_000;

// The batch processors' own metrics (OpenTelemetry's SDK self-observability names, not ours):
// each item that finds the queue full is counted here with error.type=queue_full.
const SPANS_PROCESSED = 'otel.sdk.processor.span.processed';
const LOGS_PROCESSED = 'otel.sdk.processor.log.processed';
const QUEUE_FULL = 'queue_full';

/** How a {@link DropReport} tells time; tests inject their own. */
export interface DropClock {
  now(): number;
  /** Runs `run` once, `millis` from now, without keeping the process alive for it. */
  later(run: () => void, millis: number): void;
}

const SYSTEM_CLOCK: DropClock = {
  now: () => Date.now(),
  later: (run, millis) => setTimeout(run, millis).unref(),
};

/** What one kind of batch processor queues, for its lines. */
export interface QueuedKind {
  /** Singular and plural: `span`, `spans`. */
  one: string;
  many: string;
  /** The variable that sizes the queue, and its value. */
  variable: string;
  queueSize: number;
  /** The SDK metric that counts the drops. */
  metric: string;
}

/**
 * Says on stderr that a batch processor dropped items because its queue was full: once per
 * burst at first (every drop of the same turn of the event loop in one count), then at most once
 * per {@link DROP_LINE_INTERVAL_MILLIS} with the count since the last line, and at shutdown for
 * what no line has said yet.
 */
export class DropReport {
  private unsaid = 0;
  private total = 0;
  private lastLine?: number;
  private scheduled = false;

  constructor(
    private readonly kind: QueuedKind,
    private readonly write: (line: string) => void,
    private readonly clock: DropClock = SYSTEM_CLOCK,
  ) {}

  /** Counts `count` more dropped items; the line comes later (see the class). */
  dropped(count: number): void {
    this.unsaid += count;
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastLine === undefined ? 0 : Math.max(0, this.lastLine + DROP_LINE_INTERVAL_MILLIS - this.clock.now());
    this.clock.later(() => {
      this.scheduled = false;
      this.sayUnsaid();
    }, wait);
  }

  /** Writes the line for what was dropped since the last one, if anything was (at shutdown, or when due). */
  sayUnsaid(): void {
    if (this.unsaid === 0) return;
    const count = this.unsaid;
    const first = this.total === 0;
    this.total += count;
    this.unsaid = 0;
    this.lastLine = this.clock.now();
    const { one, many, variable, queueSize, metric } = this.kind;
    const noun = count === 1 ? one : many;
    const queue = `the queue of ${many} waiting for export was full (${variable}=${queueSize})`;
    this.write(
      first
        ? `${count} ${noun} dropped: ${queue}, so they were made faster than the receiver took them. Counted in the metric ${metric} with error.type=${QUEUE_FULL}; said again at most once a minute.`
        : `${count} more ${noun} dropped since the last line: ${queue}; ${this.total} in all.`,
    );
  }
}

/**
 * What the batch processors drop: counted in their own SDK metrics, which go to the SDK's meter
 * provider through {@link meterProvider} (hand it to the processors, attach it once the SDK
 * started), and said on stderr by one {@link DropReport} per signal.
 */
export class DroppedTelemetry {
  /** The processors' self-observability meter provider. */
  readonly meterProvider: LateMeterProvider;
  private readonly reports: Map<string, DropReport>;

  constructor(config: Pick<DyntelConfig, 'traces' | 'logs'>, diagnostics: Diagnostics, clock: DropClock = SYSTEM_CLOCK) {
    const report = (kind: QueuedKind) => [kind.metric, new DropReport(kind, (line) => diagnostics.warn(line), clock)] as const;
    this.reports = new Map([
      report({ one: 'span', many: 'spans', variable: OTEL_BSP.maxQueueSize.name, queueSize: config.traces.batch.maxQueueSize, metric: SPANS_PROCESSED }),
      report({ one: 'log record', many: 'log records', variable: OTEL_BLRP.maxQueueSize.name, queueSize: config.logs.batch.maxQueueSize, metric: LOGS_PROCESSED }),
    ]);
    this.meterProvider = new LateMeterProvider((instrument, value, attributes) => this.recorded(instrument, value, attributes));
  }

  /** Says what no line has said yet: at shutdown, when no later line would come. */
  sayUnsaid(): void {
    for (const report of this.reports.values()) report.sayUnsaid();
  }

  private recorded(instrument: string, value: number, attributes: Attributes | undefined): void {
    if (attributes?.['error.type'] === QUEUE_FULL) this.reports.get(instrument)?.dropped(value);
  }
}
