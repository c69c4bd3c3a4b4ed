import type { Attributes, BatchObservableResult } from '@opentelemetry/api';
import { LiveComponents, reportInstrumentationError } from '@dyntel/instrumentation-kit';
import { ATTR_POOL_CONNECTION_STATE, ATTR_POOL_NAME, PoolConnectionState } from '@dyntel/semconv';
import type { PoolInstruments } from './metrics';
import type { PoolSizes } from './pool-adapter';
import type { TrackedPool } from './tracked-pool';

/** The sizes of every live pool of one name, summed. */
interface NameTotals extends PoolSizes {
  readonly attributes: Attributes;
  readonly idleAttributes: Attributes;
  readonly usedAttributes: Attributes;
}

const SIZE_KEYS = ['idle', 'used', 'pending', 'max', 'idleMax', 'idleMin'] as const;

/**
 * The live pools, held weakly (a kit {@link LiveComponents}), and the one batch callback that
 * reads their sizes at collection: nothing is recorded per operation. A pool leaves when it
 * stops ({@link remove}) or is garbage-collected. Pools that share a name share its series,
 * summed; a name with no live pool left reports 0 once more, because the SDK goes on exporting
 * an observable series' last value, which must not stay at the sizes of a pool that is gone.
 */
export class PoolRegistry {
  readonly #live = new LiveComponents<TrackedPool>();
  // Names the last collection reported, with their attribute sets, kept until reported as 0.
  #reported = new Map<string | undefined, NameTotals>();
  readonly #sizes: PoolSizes = emptySizes();

  /** Starts reporting a pool's sizes until it is removed or collected. */
  add(pool: object, tracked: TrackedPool): void {
    this.#live.add(pool, tracked);
  }

  /** Stops reporting a pool (drained). */
  remove(tracked: TrackedPool): void {
    this.#live.delete(tracked);
  }

  /** Pools reported, collected ones not yet forgotten included. */
  get size(): number {
    return this.#live.size;
  }

  /** Reports every live pool's sizes; the batch observable callback of the instruments. */
  observe(result: BatchObservableResult, instruments: PoolInstruments): void {
    const totals = new Map<string | undefined, NameTotals>();
    this.#live.forEachLive((tracked, pool) => {
      const sizes = this.#read(tracked, pool);
      if (sizes === undefined) return;
      const name = tracked.label.metricName;
      let sum = totals.get(name);
      if (sum === undefined) {
        sum = this.#reported.get(name) ?? totalsFor(name);
        for (const key of SIZE_KEYS) sum[key] = undefined;
        totals.set(name, sum);
      }
      for (const key of SIZE_KEYS) {
        const value = sizes[key];
        if (value !== undefined) sum[key] = (sum[key] ?? 0) + value;
      }
    });
    for (const [name, gone] of this.#reported) {
      if (totals.has(name)) continue;
      for (const key of SIZE_KEYS) if (gone[key] !== undefined) gone[key] = 0;
      report(result, instruments, gone);
    }
    for (const sum of totals.values()) report(result, instruments, sum);
    this.#reported = totals;
  }

  // One pool whose adapter throws costs its own sizes only.
  #read(tracked: TrackedPool, pool: object): PoolSizes | undefined {
    const sizes = this.#sizes;
    for (const key of SIZE_KEYS) sizes[key] = undefined;
    try {
      tracked.adapter.read(pool, sizes);
      return sizes;
    } catch (error) {
      reportInstrumentationError(`reading ${tracked.adapter.library} pool sizes`, error);
      return undefined;
    }
  }
}

function emptySizes(): PoolSizes {
  return { idle: undefined, used: undefined, pending: undefined, max: undefined, idleMax: undefined, idleMin: undefined };
}

function totalsFor(name: string | undefined): NameTotals {
  const attributes: Attributes = name === undefined ? {} : { [ATTR_POOL_NAME]: name };
  return {
    ...emptySizes(),
    attributes,
    idleAttributes: { ...attributes, [ATTR_POOL_CONNECTION_STATE]: PoolConnectionState.IDLE },
    usedAttributes: { ...attributes, [ATTR_POOL_CONNECTION_STATE]: PoolConnectionState.USED },
  };
}

function report(result: BatchObservableResult, instruments: PoolInstruments, sum: NameTotals): void {
  if (sum.idle !== undefined) result.observe(instruments.count, sum.idle, sum.idleAttributes);
  if (sum.used !== undefined) result.observe(instruments.count, sum.used, sum.usedAttributes);
  if (sum.pending !== undefined) result.observe(instruments.pendingRequests, sum.pending, sum.attributes);
  if (sum.max !== undefined) result.observe(instruments.max, sum.max, sum.attributes);
  if (sum.idleMax !== undefined) result.observe(instruments.idleMax, sum.idleMax, sum.attributes);
  if (sum.idleMin !== undefined) result.observe(instruments.idleMin, sum.idleMin, sum.attributes);
}
