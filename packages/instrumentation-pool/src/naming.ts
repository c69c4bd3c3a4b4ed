import { ComponentNaming } from '@dyntel/instrumentation-kit';
import { ATTR_POOL_NAME } from '@dyntel/semconv';

/** The names of pools, shared by every copy of this package in the process. */
export const poolNames = new ComponentNaming(ATTR_POOL_NAME, 'a pool object (a generic-pool Pool) or the factory it is created with');

/**
 * Gives a pool a name. Name the pool right after creating it (before its first acquire), or
 * the factory object before the pool is created from it; the pool or factory is returned, so
 * the call can wrap the expression:
 *
 * ```ts
 * const pool = namePool(genericPool.createPool(factory, { max: 10 }), 'inventory-db');
 * ```
 */
export function namePool<T extends object>(poolOrFactory: T, name: string): T {
  return poolNames.give('namePool', poolOrFactory, name);
}

// On globalThis so that the CJS and ESM builds of this package, loaded side by side, number
// the pools of a library in one sequence and never hand out the same name twice.
const COUNTERS_KEY = Symbol.for('@dyntel/instrumentation-pool/generated-names');

/** The next `{library}-{n}` name, n counting from 1 per library and process. */
export function nextGeneratedPoolName(library: string): string {
  const holder = globalThis as { [COUNTERS_KEY]?: Map<string, number> };
  const counters = (holder[COUNTERS_KEY] ??= new Map());
  const n = (counters.get(library) ?? 0) + 1;
  counters.set(library, n);
  return `${library}-${n}`;
}
