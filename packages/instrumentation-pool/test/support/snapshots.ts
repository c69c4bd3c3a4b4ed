import type { Pool } from 'generic-pool';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ownSizes } from './generic-pool';

/**
 * Takes generic-pool's own sizes at the moment the SDK observes the instrumentation's
 * callbacks: a batch callback of its own on the same provider, run in the same synchronous
 * pass, so that the pool cannot change between the two readings.
 */
export function snapshotAtObservation(meterProvider: MeterProvider, pools: ReadonlyMap<string, Pool<unknown>>): () => Map<string, Record<string, number>> {
  const meter = meterProvider.getMeter('snapshot-probe');
  const probe = meter.createObservableGauge('test.snapshot_probe');
  let last = new Map<string, Record<string, number>>();
  meter.addBatchObservableCallback(() => {
    last = new Map([...pools].map(([name, pool]) => [name, ownSizes(pool)]));
  }, [probe]);
  return () => last;
}
