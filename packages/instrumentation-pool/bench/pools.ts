// The pool libraries the bench drives, each required as an application would require it and
// patched, per case, as an instrumentation's require hook would patch it. The operation is one
// acquire of an idle resource and its release: every pool holds one resource, created and
// returned once before the case is timed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as GenericPool from 'generic-pool';
import type * as Tarn from 'tarn';

const require = createRequire(import.meta.url);

/** What the bench pools hand out. */
export interface Resource {
  id: number;
}

/** What the bench reads of any pool. */
export interface BenchPool {
  /** Acquires a resource: what the library's acquire returns, as a promise of the resource. */
  acquire(): Promise<Resource>;
  /** Releases `resource`: the library's promise, or undefined when its release is synchronous. */
  release(resource: Resource): Promise<void> | undefined;
  /** Empties and stops the pool. */
  close(): Promise<void>;
}

/** One pool library: its module name, and a pool of one idle resource made from its exports. */
export interface Library {
  title: string;
  module: string;
  /** A pool holding one idle resource, from the library's current (patched or bare) exports. */
  create(): Promise<BenchPool>;
}

let resources = 0;
const resource = (): Resource => ({ id: (resources += 1) });

/** Every library benchmarked. */
export const LIBRARIES: readonly Library[] = [
  {
    title: 'generic-pool',
    module: 'generic-pool',
    async create() {
      const { createPool } = require('generic-pool') as typeof GenericPool;
      const pool = createPool({ create: async () => resource(), destroy: async () => {} }, { max: 1, min: 1 });
      const bench: BenchPool = {
        acquire: () => pool.acquire(),
        release: (r) => pool.release(r),
        close: async () => {
          await pool.drain();
          await pool.clear();
        },
      };
      await bench.release(await bench.acquire());
      return bench;
    },
  },
  {
    title: 'tarn',
    module: 'tarn',
    async create() {
      const { Pool } = require('tarn') as typeof Tarn;
      const pool = new Pool<Resource>({ create: async () => resource(), destroy: async () => {}, min: 0, max: 1 });
      const bench: BenchPool = {
        acquire: () => pool.acquire().promise,
        release: (r) => void pool.release(r),
        close: () => pool.destroy().then(() => undefined),
      };
      bench.release(await bench.acquire());
      return bench;
    },
  },
];

/** An instrumentation as the bench patches it: its module definitions. */
interface Patching {
  getModuleDefinitions(): readonly { name: string; supportedVersions: readonly string[]; patch?: (exports: unknown, version?: string) => unknown; unpatch?: (exports: unknown, version?: string) => void }[];
}

/** The installed version of `module`. */
function versionOf(module: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${module}/package.json`), 'utf8')) as { version: string }).version;
}

// Majors only: every definition here states `>=N...` with the major it patches.
function supports(ranges: readonly string[], version: string): boolean {
  const major = Number(version.split('.')[0]);
  return ranges.some((range) => {
    const [low, high] = [/>=\s*(\d+)/.exec(range)?.[1], /<\s*(\d+)/.exec(range)?.[1]];
    return low !== undefined && Number(low) <= major && (high === undefined || major < Number(high));
  });
}

/** Patches the required `module` with `instrumentation`'s definition for its version; returns what unpatches it. */
export function patch(instrumentation: Patching, module: string): () => void {
  const version = versionOf(module);
  const exports: unknown = require(module);
  const definition = instrumentation.getModuleDefinitions().find((d) => d.name === module && supports(d.supportedVersions, version));
  if (definition?.patch === undefined || definition.unpatch === undefined) throw new Error(`no module definition for ${module} ${version}`);
  definition.patch(exports, version);
  return () => definition.unpatch!(exports, version);
}
