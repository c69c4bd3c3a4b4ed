import { chromiumBinary } from '../../../scripts/ensure-test-servers.mjs';

/** How to launch Debian's chromium headless here: what playwright-core's `chromium.launch()` takes. */
export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

// Headless with nothing the machine may lack (a GPU, a sandbox helper, QUIC) and nothing that
// talks to the network by itself: the tests' pages are all the browser loads. playwright-core
// gives each launch a fresh profile directory of its own and removes it after.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Whether chromium is there, with the reason when it is not. */
export function chromiumAvailable(): { ok: true } | { ok: false; reason: string } {
  const found = chromiumBinary();
  return found.missing !== undefined ? { ok: false, reason: found.missing } : { ok: true };
}

/**
 * The launch options of Debian's chromium as `npm test` fetches it into the repository's cache
 * (or CHROMIUM_BIN), with its fetched libraries on LD_LIBRARY_PATH. Throws with what to do when
 * there is none.
 */
export function chromiumLaunch(): ChromiumLaunch {
  const found = chromiumBinary();
  if (found.missing !== undefined) throw new Error(found.missing);
  const libraryPath = [...found.libraryPath, ...(process.env.LD_LIBRARY_PATH ? [process.env.LD_LIBRARY_PATH] : [])].join(':');
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { executablePath: found.executable, args: FLAGS, env: { ...env, ...(libraryPath && { LD_LIBRARY_PATH: libraryPath }) } };
}
