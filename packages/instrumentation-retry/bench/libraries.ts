// The retry libraries the bench calls, each loaded as an application would load it and
// patched, per case, as the instrumentation's require or import hook would patch it. Each call
// allows 3 attempts with no planned wait: where the library cannot wait 0 ms, its shortest
// wait (a 1 ms timer) is what the case includes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RetryInstrumentation } from '@dyntel/instrumentation-retry';

const require = createRequire(import.meta.url);

/** What a user's function returns: the attempt's result. */
export type UserFn = () => Promise<number>;

/** A module's exports, seen loosely: the bench calls each library as its own documentation does. */
export interface Exports {
  (...args: unknown[]): Promise<unknown>;
  [key: string]: Exports;
}

/** A module as loaded, by its installed name (an npm alias works), and how it is loaded. */
interface Module {
  pkg: string;
  format: 'require' | 'import';
}

/** One retry library: the modules the instrumentation patches, and one logical call through it. */
export interface Library {
  title: string;
  /** The library's own module; its exports are what `call` receives. */
  module: Module;
  /** Lower layers it builds on (a `retry` copy), patched too, as the hooks would. */
  lower: Module[];
  /** Whether the library waits 0 ms when asked to; else every retry waits on a 1 ms timer. */
  waitsZero: boolean;
  call: (exports: Exports, user: UserFn) => Promise<unknown>;
}

/** The documented `retry` idiom around a promise-returning function: retry() after each attempt, the main error at the end. */
function operate(retry: Exports, user: UserFn): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const operation = retry.operation!({ retries: 2, minTimeout: 0, factor: 1 }) as unknown as RetryOperation;
    operation.attempt(() => {
      user().then(
        (value) => {
          operation.retry(undefined);
          resolve(value);
        },
        (error: Error) => {
          if (!operation.retry(error)) reject(operation.mainError());
        },
      );
    });
  });
}

interface RetryOperation {
  attempt(fn: () => void): void;
  retry(error: unknown): boolean;
  mainError(): unknown;
}

const PROMISE_RETRY_RETRY = join(dirname(require.resolve('promise-retry')), 'node_modules', 'retry');
const RETRY: Module = { pkg: 'retry', format: 'require' };

/** Every library benchmarked. */
export const LIBRARIES: readonly Library[] = [
  {
    title: 'p-retry 9',
    module: { pkg: 'p-retry', format: 'import' },
    lower: [],
    waitsZero: true,
    call: (m, user) => m.default!(user, { retries: 2, minTimeout: 0 }),
  },
  {
    title: 'p-retry 4',
    module: { pkg: 'p-retry-v4', format: 'require' },
    lower: [RETRY],
    waitsZero: false,
    call: (m, user) => m(user, { retries: 2, minTimeout: 0, factor: 1 }),
  },
  {
    title: 'async-retry',
    module: { pkg: 'async-retry', format: 'require' },
    lower: [RETRY],
    waitsZero: false,
    call: (m, user) => m(user, { retries: 2, minTimeout: 0, factor: 1, randomize: false }),
  },
  {
    title: 'promise-retry',
    module: { pkg: 'promise-retry', format: 'require' },
    lower: [{ pkg: PROMISE_RETRY_RETRY, format: 'require' }],
    waitsZero: false,
    call: (m, user) => m((again: (error: unknown) => never) => user().catch(again), { retries: 2, minTimeout: 0, factor: 1 }),
  },
  { title: 'retry', module: RETRY, lower: [], waitsZero: false, call: operate },
  {
    title: 'exponential-backoff',
    module: { pkg: 'exponential-backoff', format: 'require' },
    lower: [],
    waitsZero: false,
    call: (m, user) => m.backOff!(user, { numOfAttempts: 3, startingDelay: 0 }),
  },
  {
    title: 'cockatiel retry',
    module: { pkg: 'cockatiel', format: 'import' },
    lower: [],
    waitsZero: false,
    call: (m, user) => policyOf(m).execute(user),
  },
];

// cockatiel's policies are made once and reused, as applications do: one per patched namespace.
const policies = new WeakMap<object, { execute(fn: UserFn): Promise<unknown> }>();
function policyOf(m: Exports) {
  let policy = policies.get(m);
  if (policy === undefined) {
    const backoff = new (m.ConstantBackoff as unknown as new (ms: number) => object)(0);
    policy = m.retry!(m.handleAll, { maxAttempts: 2, backoff }) as unknown as { execute(fn: UserFn): Promise<unknown> };
    policies.set(m, policy);
  }
  return policy;
}

/** The module's exports as an application gets them (a writable copy of an ESM namespace, as the import hook hands it). */
export async function load(module: Module): Promise<Exports> {
  return (module.format === 'require' ? require(module.pkg) : { ...(await import(module.pkg)) }) as Exports;
}

/** The module's real name and version, read from its package.json where Node finds it. */
function packageOf(pkg: string): { name: string; version: string } {
  const file = pkg.startsWith('/')
    ? join(pkg, 'package.json')
    : (require.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg, 'package.json')).find((path) => {
        try {
          readFileSync(path);
          return true;
        } catch {
          return false;
        }
      })!;
  return JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string };
}

/** Patches `exports` of `module` as the hook would; returns the patched exports and what unpatches them. */
export function patch(instrumentation: RetryInstrumentation, module: Module, exports: Exports): { exports: Exports; unpatch: () => void } {
  const { name, version } = packageOf(module.pkg);
  const definition = instrumentation.getModuleDefinitions().find((d) => d.name === name);
  if (definition?.patch === undefined || definition.unpatch === undefined) throw new Error(`no module definition for ${name}`);
  const patched = (definition.patch(exports, version) ?? exports) as Exports;
  return { exports: patched, unpatch: () => definition.unpatch!(patched, version) };
}
