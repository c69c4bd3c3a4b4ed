import type { Logger, Tracer } from '@opentelemetry/api';
import { emitEvent, monotonicMillis, OperationRecorder, reportInstrumentationError, resolveErrorType, safely, secondsSince, type AnyFunction, type OperationKind } from '@dyntel/instrumentation-kit';
import { EVENT_LIFECYCLE, LifecycleState, PoolOperation, Severity } from '@dyntel/semconv';
import { AcquireOperation, acquireKind, type AcquireOutcome } from './acquire';
import type { PoolInstruments } from './metrics';
import { nextGeneratedPoolName, poolNames } from './naming';
import type { PoolAdapter } from './pool-adapter';
import { PoolRegistry } from './pool-registry';
import { TrackedPool } from './tracked-pool';
import type { PoolInstrumentationConfig } from './types';

/** What the pool telemetry reads from its instrumentation, live, since providers and config change. */
export interface PoolTelemetryHost {
  tracer(): Tracer;
  logger(): Logger;
  config(): PoolInstrumentationConfig;
  instruments(): PoolInstruments;
}

/**
 * The family-neutral core every pool adapter calls (generic-pool now; tarn and knex plug in
 * the same way): one {@link TrackedPool} per pool, named once, in the weakly held
 * {@link PoolRegistry} whose batch callback reports the sizes; acquires as `pool.acquire`
 * operations (a span only under a parent span, the wait time when a connection was
 * obtained); use and create times; the timeouts and errors counters; lifecycle events.
 * Nothing here throws into the application.
 */
export class PoolTelemetry {
  /** The live pools, for the batch observable callback. */
  readonly registry = new PoolRegistry();
  readonly #tracked = new WeakMap<object, TrackedPool>();
  // Pools whose started event is emitted or on its way.
  readonly #announced = new WeakSet<object>();
  readonly #recorder: OperationRecorder;
  readonly #acquire: OperationKind<AcquireOutcome, AcquireOperation>;

  constructor(private readonly host: PoolTelemetryHost) {
    // The contract starts pool.acquire only under a parent span, whatever requireParentSpan says.
    this.#recorder = new OperationRecorder({ tracer: () => host.tracer(), requireParentSpan: () => true });
    this.#acquire = acquireKind({ waitTime: () => host.instruments().waitTime, config: () => host.config() });
  }

  /**
   * The record of `pool`, created (named and registered) on first use. Name it after the code
   * that created the pool had its chance to call `namePool`: from {@link started}'s microtask
   * or the pool's first operation.
   */
  pool<P extends object>(pool: P, adapter: PoolAdapter<P>): TrackedPool {
    let tracked = this.#tracked.get(pool);
    if (tracked === undefined) {
      tracked = new TrackedPool(adapter as PoolAdapter, poolNames.labelFor(this.#chooseName(pool, adapter)));
      this.#tracked.set(pool, tracked);
      this.registry.add(pool, tracked);
      // The instruments, and with them the callback that reports the sizes, are created on
      // first use: a pool that is never used must still be reported.
      safely('creating the pool instruments', () => this.host.instruments());
    }
    return tracked;
  }

  /** The record of `pool` if it was seen. */
  known(pool: object): TrackedPool | undefined {
    return this.#tracked.get(pool);
  }

  /**
   * A pool started (created, or started by hand): after the current synchronous code, so that a
   * `namePool()` right after its creation names it, the pool is registered and its `started`
   * event emitted, in the context the pool was started in; once per pool. An adapter must not
   * call {@link pool} from the pool's constructor either, for the same reason: what settles
   * later (a create) looks its record up when it settles.
   */
  started<P extends object>(pool: P, adapter: PoolAdapter<P>): void {
    if (this.#announced.has(pool)) return;
    this.#announced.add(pool);
    queueMicrotask(() => {
      safely('pool started', () => {
        const tracked = this.pool(pool, adapter);
        if (!tracked.stopped) this.#lifecycle(tracked, LifecycleState.STARTED);
      });
    });
  }

  /** A pool stopped (drained): it leaves the registry and its `stopped` event is emitted, once. */
  stopped(pool: object): void {
    safely('pool stopped', () => {
      const tracked = this.#tracked.get(pool);
      if (tracked === undefined || tracked.stopped) return;
      tracked.stopped = true;
      this.registry.remove(tracked);
      this.#lifecycle(tracked, LifecycleState.STOPPED);
    });
  }

  /**
   * Begins an acquire of `pool`: its start time and, under a parent span, its `pool.acquire`
   * span. Undefined when the instrumentation failed: the adapter then runs the library untouched.
   */
  beginAcquire<P extends object>(pool: P, adapter: PoolAdapter<P>): AcquireOperation | undefined {
    // try/catch rather than safely(): no closure per acquire on the hot path.
    try {
      const tracked = this.pool(pool, adapter);
      const operation = new AcquireOperation(tracked);
      this.#recorder.begin(this.#acquire, operation, tracked.acquireSpanOptions());
      return operation;
    } catch (error) {
      reportInstrumentationError('starting a pool acquire', error);
      return undefined;
    }
  }

  /** Runs the library's acquire in the operation's span context, when it has one. */
  runAcquire(operation: AcquireOperation, fn: AnyFunction, thisArg: unknown, args: readonly unknown[]): unknown {
    return this.#recorder.run(operation, fn, thisArg, args);
  }

  /** The acquire obtained `resource`: the wait time is recorded and the resource's use begins. */
  acquired(operation: AcquireOperation, resource: unknown): void {
    operation.resource = resource;
    // One clock reading ends the wait and begins the use.
    const now = monotonicMillis();
    operation.component.loans.lent(resource, now);
    this.#recorder.end(this.#acquire, operation, 'success', undefined, false, now);
  }

  /** The acquire failed with `error` (`timedOut` on the pool's acquire timeout). */
  acquireFailed(operation: AcquireOperation, error: unknown, timedOut: boolean): void {
    operation.timedOut = timedOut;
    const tracked = operation.component;
    safely('recording a pool acquire failure', () => {
      const instruments = this.host.instruments();
      if (timedOut) instruments.timeouts.add(1, tracked.nameAttributes());
      instruments.errors.add(1, tracked.errorAttributes(PoolOperation.ACQUIRE, resolveErrorType(error)));
    });
    this.#recorder.end(this.#acquire, operation, 'failure', error, true);
  }

  /** A lent resource came back (released or destroyed): its use time is recorded. */
  returned(tracked: TrackedPool, resource: unknown): void {
    const start = tracked.loans.take(resource);
    if (start === undefined) return;
    try {
      this.host.instruments().useTime.record(secondsSince(start), tracked.nameAttributes());
    } catch (error) {
      reportInstrumentationError('recording a pool use time', error);
    }
  }

  /** A timestamp for {@link created}. */
  now(): number {
    return monotonicMillis();
  }

  /** A connection of `pool` opened, begun at `startMillis` (from {@link now}). */
  created<P extends object>(pool: P, adapter: PoolAdapter<P>, startMillis: number): void {
    safely('recording a pool create time', () => this.host.instruments().createTime.record(secondsSince(startMillis), this.pool(pool, adapter).nameAttributes()));
  }

  /** An operation of `pool` other than an acquire failed (create, destroy, validate). */
  failed<P extends object>(pool: P, adapter: PoolAdapter<P>, operation: PoolOperation, error: unknown): void {
    safely('recording a pool error', () => this.host.instruments().errors.add(1, this.pool(pool, adapter).errorAttributes(operation, resolveErrorType(error))));
  }

  #chooseName<P extends object>(pool: P, adapter: PoolAdapter<P>): string {
    const other = safely('reading what a pool is named by', () => adapter.alsoNamedBy?.(pool));
    const given = poolNames.given(pool) ?? (other === undefined ? undefined : poolNames.given(other));
    if (given !== undefined) return given;
    const hook = this.host.config().poolName;
    if (hook !== undefined) {
      const configured = safely('the poolName option', () => hook({ library: adapter.library, pool }));
      if (typeof configured === 'string' && configured !== '') return configured;
    }
    const derived = safely('deriving a pool name', () => adapter.derivedName?.(pool));
    if (typeof derived === 'string' && derived !== '') return derived;
    return nextGeneratedPoolName(adapter.library);
  }

  #lifecycle(tracked: TrackedPool, state: LifecycleState): void {
    emitEvent(this.host.logger(), { name: EVENT_LIFECYCLE, severity: Severity.INFO, attributes: tracked.lifecycleAttributes(state) });
  }
}
