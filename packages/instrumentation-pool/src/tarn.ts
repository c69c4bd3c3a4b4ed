import { reportInstrumentationError, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
import { PoolOperation } from '@dyntel/semconv';
import type { AcquireOperation } from './acquire';
import type { PoolAdapter, PoolSizes } from './pool-adapter';
import type { PoolTelemetry } from './pool-telemetry';

/** What the instrumentation reads of a tarn `Pool`: its own counters and bounds. */
export interface TarnPool {
  readonly max: number;
  readonly min: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** The tarn module: CJS exports, or the ESM namespace or its default. */
interface TarnModule {
  Pool: { prototype: object };
  TimeoutError: abstract new (...args: never[]) => Error;
}

/** tarn's sizes, read through its own `numFree()`, `numUsed()`, `numPendingAcquires()`, `max` and `min`. */
export function readTarnSizes(pool: TarnPool, sizes: PoolSizes): void {
  sizes.idle = pool.numFree();
  sizes.used = pool.numUsed();
  sizes.pending = pool.numPendingAcquires();
  sizes.max = pool.max;
  // tarn caps idle resources only by its max; its min is the floor the reaper keeps.
  sizes.idleMax = pool.max;
  sizes.idleMin = pool.min;
}

/** A tarn pool created by the application itself. */
export const TARN_ADAPTER: PoolAdapter<TarnPool> = { library: 'tarn', read: readTarnSizes };

// Pools another library created over tarn (knex), with the adapter that names them.
const adopted = new WeakMap<object, PoolAdapter<TarnPool>>();

/**
 * Records that `pool` was created by another library (knex) whose adapter names and labels it.
 * Call it right after the pool's creation: its first acquire fixes the adapter.
 */
export function adoptTarnPool(pool: object, adapter: PoolAdapter<TarnPool>): void {
  adopted.set(pool, adapter);
}

function adapterOf(pool: object): PoolAdapter<TarnPool> {
  return adopted.get(pool) ?? TARN_ADAPTER;
}

/** What is in flight in one pool, by tarn's event id (unique per pool). */
class InFlight {
  /** Acquires requested and not yet settled. */
  readonly acquires = new Map<number, AcquireOperation>();
  /** When each create still pending began. */
  readonly creates = new Map<number, number>();
}

const inFlight = new WeakMap<object, InFlight>();

function inFlightOf(pool: object): InFlight {
  let state = inFlight.get(pool);
  if (state === undefined) {
    state = new InFlight();
    inFlight.set(pool, state);
  }
  return state;
}

function take<V>(map: Map<number, V> | undefined, id: unknown): V | undefined {
  if (map === undefined || typeof id !== 'number') return undefined;
  const value = map.get(id);
  if (value !== undefined) map.delete(id);
  return value;
}

// The acquire begun by the acquire wrapper, until tarn's acquireRequest event (the first thing
// tarn's acquire does) gives it its event id.
let beginning: AcquireOperation | undefined;

/**
 * Patches tarn 3: `acquire` is the `pool.acquire` operation, run in its span's context (creates
 * it triggers run under it), and `_executeEventHandlers`, through which tarn emits every event,
 * tells how each acquire, create, destroy and release went and when the pool was destroyed.
 * Wrapping it rather than adding listeners leaves what the user's own listeners see
 * (`listenerCount`, order, `removeAllListeners`) exactly as it was; nothing here touches a
 * promise. A pool is reported from its first acquire, since tarn does nothing before one.
 */
export class TarnPatcher implements ModulePatcher<TarnModule> {
  readonly moduleName = 'tarn';

  constructor(
    private readonly telemetry: PoolTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  resolve(moduleExports: unknown): TarnModule | undefined {
    for (const candidate of [moduleExports, (moduleExports as { default?: unknown } | null | undefined)?.default]) {
      const module = candidate as Partial<TarnModule> | null | undefined;
      if (typeof module?.Pool === 'function' && typeof module.TimeoutError === 'function') return module as TarnModule;
    }
    return undefined;
  }

  prototypeOf(target: TarnModule): object {
    return target.Pool.prototype;
  }

  patch(target: TarnModule): void {
    const telemetry = this.telemetry;
    const timeoutError = target.TimeoutError;
    this.shim.wrap(target.Pool.prototype, 'acquire', (original) => wrapAcquire(original, telemetry));
    this.shim.wrap(target.Pool.prototype, '_executeEventHandlers', (original) => wrapEventHandlers(original, telemetry, timeoutError));
  }

  unpatch(target: TarnModule): void {
    this.shim.unwrap(target.Pool.prototype, 'acquire');
    this.shim.unwrap(target.Pool.prototype, '_executeEventHandlers');
  }
}

function wrapAcquire(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function acquire(this: TarnPool, ...args: unknown[]): unknown {
    const adapter = adapterOf(this);
    telemetry.started(this, adapter);
    const operation = telemetry.beginAcquire(this, adapter);
    if (operation === undefined) return Reflect.apply(original, this, args);
    const saved = beginning;
    beginning = operation;
    try {
      return telemetry.runAcquire(operation, original, this, args);
    } catch (error) {
      // Thrown before tarn's acquireRequest event: no acquireFail will follow for it.
      if (beginning === operation) telemetry.acquireFailed(operation, error, false);
      throw error;
    } finally {
      beginning = saved;
    }
  };
}

function wrapEventHandlers(original: AnyFunction, telemetry: PoolTelemetry, timeoutError: TarnModule['TimeoutError']): AnyFunction {
  return function _executeEventHandlers(this: TarnPool, ...args: unknown[]): unknown {
    // Before the user's listeners, so that their time is not counted as the pool's.
    try {
      observeEvent(this, args, telemetry, timeoutError);
    } catch (error) {
      reportInstrumentationError('observing a tarn pool event', error);
    }
    return Reflect.apply(original, this, args);
  };
}

function observeEvent(pool: TarnPool, args: unknown[], telemetry: PoolTelemetry, timeoutError: TarnModule['TimeoutError']): void {
  const [event, id] = args;
  switch (event) {
    case 'acquireRequest':
      if (beginning !== undefined && typeof id === 'number') {
        inFlightOf(pool).acquires.set(id, beginning);
        beginning = undefined;
      }
      return;
    case 'acquireSuccess': {
      const operation = take(inFlight.get(pool)?.acquires, id);
      if (operation !== undefined) telemetry.acquired(operation, args[2]);
      return;
    }
    case 'acquireFail': {
      const operation = take(inFlight.get(pool)?.acquires, id);
      if (operation !== undefined) telemetry.acquireFailed(operation, args[2], args[2] instanceof timeoutError);
      return;
    }
    case 'release': {
      // ('release', resource): no event id.
      const tracked = telemetry.known(pool);
      if (tracked !== undefined) telemetry.returned(tracked, args[1]);
      return;
    }
    case 'createRequest':
      if (typeof id === 'number') inFlightOf(pool).creates.set(id, telemetry.now());
      return;
    case 'createSuccess': {
      const start = take(inFlight.get(pool)?.creates, id);
      if (start !== undefined) telemetry.created(pool, adapterOf(pool), start);
      return;
    }
    case 'createFail':
      take(inFlight.get(pool)?.creates, id);
      telemetry.failed(pool, adapterOf(pool), PoolOperation.CREATE, args[2]);
      return;
    case 'destroyFail':
      telemetry.failed(pool, adapterOf(pool), PoolOperation.DESTROY, args[3]);
      return;
    case 'poolDestroySuccess':
      telemetry.stopped(pool);
      inFlight.delete(pool);
      return;
    default:
      return;
  }
}
