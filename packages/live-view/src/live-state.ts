import { CircuitBreakerState } from '@dyntel/semconv';
import { History, type StateSince, type Timeline } from './history';
import type { MetricsBatch } from './metrics-batch';
import { readBatch, type Reading } from './reading';
import { sampleOf, type BreakerSample, type Sample } from './sample';

/** The version of the JSON API, in its paths (`/api/v1/...`) and in every body. */
export const API_VERSION = 1;

/** Collects one batch of the process's metrics: a cumulative reader's `collect()`, as the register entry hands it over. */
export type CollectMetrics = () => Promise<MetricsBatch>;

/** A breaker in a snapshot: its sample plus when it entered its state. */
export interface BreakerSnapshot extends BreakerSample {
  stateSince: StateSince | null;
}

/** GET /api/v1/snapshot: the latest sample, breakers with their time in state. */
export interface Snapshot extends Omit<Sample, 'breakers'> {
  apiVersion: typeof API_VERSION;
  breakers: BreakerSnapshot[];
}

/** GET /api/v1/history (and the stream's first event): the window of samples and the breakers' timelines. */
export interface HistoryBody {
  apiVersion: typeof API_VERSION;
  windowSeconds: number;
  samples: readonly Sample[];
  timelines: Record<string, Timeline>;
}

/** GET /api/v1/summary: what a readiness probe or a test reads. */
export interface Summary {
  apiVersion: typeof API_VERSION;
  time: number;
  /** One line, e.g. `breakers open: 1 (inventory), half-open: 0, closed: 1; pools pending requests: 0`. */
  text: string;
  /** False while some breaker is open or forced open. */
  ok: boolean;
  breakers: { total: number; open: number; halfOpen: number; forcedOpen: number; closed: number; disabled: number; openNames: string[] };
  pools: { total: number; pendingRequests: number };
  retries: { total: number; exhaustedPerSecond: number | null };
}

/**
 * What the live view knows: the last reading (rates are taken against it), the history window,
 * and one collection at a time however many requests ask for one.
 */
export class LiveState {
  private previous: Reading | undefined;
  private inFlight: Promise<Sample> | undefined;
  readonly history: History;

  constructor(
    private readonly collectMetrics: CollectMetrics,
    readonly windowMillis: number,
    capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    this.history = new History(windowMillis, capacity);
  }

  /** Collects now (or joins the collection under way) and adds the sample to the history. */
  collect(): Promise<Sample> {
    this.inFlight ??= this.collectMetrics()
      .then((batch) => {
        const reading = readBatch(batch, this.now());
        const sample = sampleOf(reading, this.previous);
        this.previous = reading;
        this.history.add(sample);
        return sample;
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** A sample with each breaker's time in state. */
  snapshot(sample: Sample): Snapshot {
    return {
      apiVersion: API_VERSION,
      ...sample,
      breakers: sample.breakers.map((b) => ({ ...b, stateSince: this.history.stateSince(b.name) ?? null })),
    };
  }

  /** The history window. */
  historyBody(): HistoryBody {
    return { apiVersion: API_VERSION, windowSeconds: this.windowMillis / 1000, samples: this.history.window(), timelines: this.history.breakerTimelines() };
  }
}

/** The summary of a sample. */
export function summaryOf(sample: Sample): Summary {
  const count = (state: string) => sample.breakers.filter((b) => b.state === state).length;
  const openNames = sample.breakers.filter((b) => b.state === CircuitBreakerState.OPEN || b.state === CircuitBreakerState.FORCED_OPEN).map((b) => b.name);
  const breakers = {
    total: sample.breakers.length,
    open: count(CircuitBreakerState.OPEN),
    halfOpen: count(CircuitBreakerState.HALF_OPEN),
    forcedOpen: count(CircuitBreakerState.FORCED_OPEN),
    closed: count(CircuitBreakerState.CLOSED),
    disabled: count(CircuitBreakerState.DISABLED),
    openNames,
  };
  const pendingRequests = sample.pools.reduce((sum, p) => sum + (p.pendingRequests ?? 0), 0);
  const rates = sample.retries.map((r) => (r.callsPerSecond !== null && r.exhaustedRatio !== null ? r.callsPerSecond * r.exhaustedRatio : null));
  const exhaustedPerSecond = sample.intervalSeconds === null ? null : rates.reduce<number>((sum, r) => sum + (r ?? 0), 0);
  const open = breakers.open + breakers.forcedOpen;
  const names = openNames.length > 0 ? ` (${openNames.map((n) => JSON.stringify(n)).join(', ')})` : '';
  const text = `breakers open: ${open}${names}, half-open: ${breakers.halfOpen}, closed: ${breakers.closed}; pools pending requests: ${pendingRequests}`;
  return {
    apiVersion: API_VERSION,
    time: sample.time,
    text,
    ok: open === 0,
    breakers,
    pools: { total: sample.pools.length, pendingRequests },
    retries: { total: sample.retries.length, exhaustedPerSecond },
  };
}
