import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A file the page is made of: where it is and how it is served. */
interface StaticFile {
  readonly path: string;
  readonly type: string;
}

const PAGE = (name: string) => fileURLToPath(new URL(`../page/${name}`, import.meta.url));
// uPlot's own builds, served as its package ships them: no bundler between the page and them.
const UPLOT = (name: string) => createRequire(import.meta.url).resolve(`uplot/dist/${name}`);

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Every path the page is served from, and nothing else: no path from a request reaches the file system. */
const FILES: Readonly<Record<string, () => StaticFile>> = {
  '/': () => ({ path: PAGE('index.html'), type: HTML }),
  '/app.js': () => ({ path: PAGE('app.js'), type: JS }),
  '/app.css': () => ({ path: PAGE('app.css'), type: CSS }),
  '/vendor/uPlot.iife.min.js': () => ({ path: UPLOT('uPlot.iife.min.js'), type: JS }),
  '/vendor/uPlot.min.css': () => ({ path: UPLOT('uPlot.min.css'), type: CSS }),
};

/**
 * The page's files, read on first request and kept (a handful of files, about 60 kB in all),
 * so that a process whose page is never opened never reads them.
 */
export class StaticFiles {
  private readonly cache = new Map<string, { body: Buffer; type: string }>();

  /** The file served at `path`, or undefined when the page has none there. */
  get(path: string): { body: Buffer; type: string } | undefined {
    const cached = this.cache.get(path);
    if (cached) return cached;
    const file = Object.hasOwn(FILES, path) ? FILES[path]!() : undefined;
    if (!file) return undefined;
    const loaded = { body: readFileSync(file.path), type: file.type };
    this.cache.set(path, loaded);
    return loaded;
  }
}
