import type { Pool } from 'generic-pool';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ownSizes } from './generic-pool';

/** Reads a pool's own sizes, named as the metrics are. */
export type OwnSizes<P> = (pool: P) => Record<string, number>;

/**
 * Takes the pools' own sizes (generic-pool's by default, else what `read` reads) at the moment
 * the SDK observes the instrumentation's callbacks: a batch callback of its own on the same
 * provider, run in the same synchronous pass, so that a pool cannot change between the two readings.
 */
export function snapshotAtObservation<P = Pool<unknown>>(
  meterProvider: MeterProvider,
  pools: ReadonlyMap<string, P>,
  read: OwnSizes<P> = ownSizes as unknown as OwnSizes<P>,
): () => Map<string, Record<string, number>> {
  const meter = meterProvider.getMeter('snapshot-probe');
  const probe = meter.createObservableGauge('test.snapshot_probe');
  let last = new Map<string, Record<string, number>>();
  meter.addBatchObservableCallback(() => {
    last = new Map([...pools].map(([name, pool]) => [name, read(pool)]));
  }, [probe]);
  return () => last;
}
