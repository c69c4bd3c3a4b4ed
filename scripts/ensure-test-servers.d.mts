/** The binary of a Debian package for the tests: the cached one, else the name (found on the PATH). */
export function testBinary(debianPackage: string, binary: string): string;

/**
 * PostgreSQL's server binaries for the tests: POSTGRES_BIN_DIR, else the server `npm test`
 * fetched into the cache, with the directories of the libraries fetched with it; else what to do.
 */
export function postgresBinaries(): { binDir: string; libraryPath: string[]; missing?: undefined } | { missing: string; binDir?: undefined };

/**
 * Debian's chromium for the browser tests: CHROMIUM_BIN, else the one `npm test` fetched into
 * the cache, with the directories of the libraries fetched with it; else what to do.
 */
export function chromiumBinary(): { executable: string; libraryPath: string[]; missing?: undefined } | { missing: string; executable?: undefined };
