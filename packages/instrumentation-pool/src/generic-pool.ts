import { isThenable, observeSettled, reportInstrumentationError, type AnyFunction, type ModulePatcher, type Shim } from '@dyntel/instrumentation-kit';
import { PoolOperation } from '@dyntel/semconv';
import type { PoolAdapter, PoolSizes } from './pool-adapter';
import type { PoolTelemetry } from './pool-telemetry';

/** What the instrumentation reads of a generic-pool `Pool` (its public getters and a few internals). */
interface GenericPool {
  readonly available: number;
  readonly borrowed: number;
  readonly pending: number;
  readonly max: number;
  readonly min: number;
  _draining: boolean;
  _started: boolean;
  _factory: object;
  _waitingClientsQueue: { enqueue: AnyFunction };
  _factoryCreateOperations: Set<unknown>;
  _factoryDestroyOperations: Set<unknown>;
  _validationOperations: Set<unknown>;
}

/** The generic-pool module: CJS exports, or the ESM namespace or its default. */
interface GenericPoolModule {
  Pool: { prototype: object };
  PriorityQueue: { prototype: object };
}

/** A waiting client's request, as generic-pool queues it. */
interface ResourceRequest {
  readonly promise: PromiseLike<unknown>;
}

const POOL_METHODS = ['start', 'acquire', 'release', 'destroy', '_createResource', '_trackOperation', '_descheduleEvictorRun'] as const;

/** generic-pool's sizes: its own `available`, `borrowed`, `pending`, `max` and `min`. */
export const GENERIC_POOL_ADAPTER: PoolAdapter<GenericPool> = {
  library: 'generic-pool',
  read(pool: GenericPool, sizes: PoolSizes): void {
    sizes.idle = pool.available;
    sizes.used = pool.borrowed;
    sizes.pending = pool.pending;
    sizes.max = pool.max;
    // generic-pool caps idle resources only by its max, and its min is the floor it keeps.
    sizes.idleMax = pool.max;
    sizes.idleMin = pool.min;
  },
  alsoNamedBy: (pool) => pool._factory,
};

// Set by the queue's enqueue while an instrumented acquire runs: the request it queued, if any.
// Saved and restored around each acquire, so a factory that acquires from inside create() is fine.
let enqueued: ResourceRequest | undefined;

/**
 * Patches generic-pool 3: `start` registers the pool (the constructor starts it unless
 * `autostart` is false), `acquire` is the `pool.acquire` operation, `release`/`destroy` end a
 * use, `_createResource` times a create, `_trackOperation` sees creates, destroys and
 * validations settle, and `_descheduleEvictorRun` (the last step of `drain()`) stops it. The
 * caller's promises are never touched: an acquire's promise is observed only when it is a
 * queued request's, which generic-pool itself handles; the ones it rejects at once (draining,
 * `maxWaitingClients` exceeded) are known by the request not being queued.
 */
export class GenericPoolPatcher implements ModulePatcher<GenericPoolModule> {
  readonly moduleName = 'generic-pool';

  constructor(
    private readonly telemetry: PoolTelemetry,
    private readonly shim: Shim,
    readonly versions: string,
  ) {}

  resolve(moduleExports: unknown): GenericPoolModule | undefined {
    for (const candidate of [moduleExports, (moduleExports as { default?: unknown } | null | undefined)?.default]) {
      const module = candidate as Partial<GenericPoolModule> | null | undefined;
      if (typeof module?.Pool === 'function' && typeof module.PriorityQueue === 'function') return module as GenericPoolModule;
    }
    return undefined;
  }

  prototypeOf(target: GenericPoolModule): object {
    return target.Pool.prototype;
  }

  patch(target: GenericPoolModule): void {
    const telemetry = this.telemetry;
    const proto = target.Pool.prototype as Record<string, unknown>;
    this.shim.wrap(target.PriorityQueue.prototype, 'enqueue', wrapEnqueue);
    this.shim.wrap(proto, 'start', (original) => wrapStart(original, telemetry));
    this.shim.wrap(proto, 'acquire', (original) => wrapAcquire(original, telemetry));
    this.shim.wrap(proto, 'release', (original) => wrapReturn(original, telemetry));
    this.shim.wrap(proto, 'destroy', (original) => wrapReturn(original, telemetry));
    this.shim.wrap(proto, '_createResource', (original) => wrapCreateResource(original, telemetry));
    this.shim.wrap(proto, '_trackOperation', (original) => wrapTrackOperation(original, telemetry));
    this.shim.wrap(proto, '_descheduleEvictorRun', (original) => wrapDeschedule(original, telemetry));
  }

  unpatch(target: GenericPoolModule): void {
    this.shim.unwrap(target.PriorityQueue.prototype, 'enqueue');
    for (const name of POOL_METHODS) this.shim.unwrap(target.Pool.prototype, name);
  }
}

function wrapEnqueue(original: AnyFunction): AnyFunction {
  // The caller's arguments are handed on as the one array they came in: no copy per acquire.
  return function enqueue(this: unknown, ...args: unknown[]): unknown {
    enqueued = args[0] as ResourceRequest;
    return Reflect.apply(original, this, args);
  };
}

function wrapStart(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function start(this: GenericPool, ...args: unknown[]): unknown {
    const result: unknown = Reflect.apply(original, this, args);
    if (this._started === true) telemetry.started(this, GENERIC_POOL_ADAPTER);
    return result;
  };
}

// Only a queue whose enqueue is ours tells which acquires were queued: a pool built by hand
// with another queue class is measured by its sizes only.
function queueIsPatched(pool: GenericPool): boolean {
  try {
    return (pool._waitingClientsQueue.enqueue as { __wrapped?: boolean }).__wrapped === true;
  } catch {
    return false;
  }
}

function wrapAcquire(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function acquire(this: GenericPool, ...args: unknown[]): unknown {
    const operation = queueIsPatched(this) ? telemetry.beginAcquire(this, GENERIC_POOL_ADAPTER) : undefined;
    if (operation === undefined) return Reflect.apply(original, this, args);
    const saved = enqueued;
    enqueued = undefined;
    let result: unknown;
    try {
      result = telemetry.runAcquire(operation, original, this, args);
    } catch (error) {
      enqueued = saved;
      telemetry.acquireFailed(operation, error, false);
      throw error;
    }
    // Read as set by the enqueue wrapper during the call (TypeScript cannot see that).
    const request = enqueued as ResourceRequest | undefined;
    enqueued = saved;
    if (request !== undefined && request.promise === result) {
      // generic-pool's queue already handles this promise (it catches it to drop timed-out
      // requests), so a side branch changes nothing of what the caller sees.
      observeSettled(result as Promise<unknown>, operation, (op, rejected, settled) => {
        if (rejected) telemetry.acquireFailed(op, settled, isTimeout(settled));
        else telemetry.acquired(op, settled);
      });
    } else {
      // Rejected at once, without a request (draining, or maxWaitingClients exceeded): the
      // caller's promise is left unobserved, so an unhandled rejection stays one.
      telemetry.acquireFailed(operation, new Error(this._draining ? 'pool is draining and cannot accept work' : 'max waitingClients count exceeded'), false);
    }
    return result;
  };
}

// generic-pool tells its own timeouts apart by name, and so does this.
function isTimeout(error: unknown): boolean {
  try {
    return (error as { name?: unknown } | null)?.name === 'TimeoutError';
  } catch {
    return false;
  }
}

function wrapReturn(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function giveBack(this: GenericPool, ...args: unknown[]): unknown {
    const tracked = telemetry.known(this);
    if (tracked !== undefined) telemetry.returned(tracked, args[0]);
    return Reflect.apply(original, this, args);
  };
}

// The start of the create that _createResource is running, for _trackOperation to pick up.
let createStart: number | undefined;

function wrapCreateResource(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function _createResource(this: GenericPool, ...args: unknown[]): unknown {
    const saved = createStart;
    createStart = telemetry.now();
    try {
      return Reflect.apply(original, this, args);
    } catch (error) {
      // A factory whose create() throws synchronously: the throw goes on to the caller.
      telemetry.failed(this, GENERIC_POOL_ADAPTER, PoolOperation.CREATE, error);
      throw error;
    } finally {
      createStart = saved;
    }
  };
}

function wrapTrackOperation(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function _trackOperation(this: GenericPool, operation: unknown, set: unknown, ...rest: unknown[]): unknown {
    const result: unknown = Reflect.apply(original, this, [operation, set, ...rest]);
    try {
      observeTracked(this, set, result, telemetry);
    } catch (error) {
      reportInstrumentationError('observing a generic-pool operation', error);
    }
    return result;
  };
}

// The promise _trackOperation returns is consumed by generic-pool itself (then/catch), so a
// side branch on it changes nothing.
function observeTracked(pool: GenericPool, set: unknown, result: unknown, telemetry: PoolTelemetry): void {
  if (!isThenable(result)) return;
  // The pool's record is looked up when the operation settles: the constructor's creates run
  // before the application could name the pool.
  if (set === pool._factoryCreateOperations) {
    const start = createStart ?? telemetry.now();
    observeSettled(result as Promise<unknown>, start, (begun, rejected, settled) => {
      if (rejected) telemetry.failed(pool, GENERIC_POOL_ADAPTER, PoolOperation.CREATE, settled);
      else telemetry.created(pool, GENERIC_POOL_ADAPTER, begun);
    });
  } else if (set === pool._factoryDestroyOperations || set === pool._validationOperations) {
    const operation = set === pool._validationOperations ? PoolOperation.VALIDATE : PoolOperation.DESTROY;
    observeSettled(result as Promise<unknown>, operation, (failedOperation, rejected, settled) => {
      if (rejected) telemetry.failed(pool, GENERIC_POOL_ADAPTER, failedOperation, settled);
    });
  }
}

function wrapDeschedule(original: AnyFunction, telemetry: PoolTelemetry): AnyFunction {
  return function _descheduleEvictorRun(this: GenericPool, ...args: unknown[]): unknown {
    const result: unknown = Reflect.apply(original, this, args);
    // Only drain() deschedules the evictor: its last step, the pool has drained.
    if (this._draining === true) telemetry.stopped(this);
    return result;
  };
}
