import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { getSystemErrorMessage } from 'node:util';

/**
 * Largest sampler configuration file that is read. A rules document takes a few kilobytes; a
 * file past this is a wrong path (a log, a dump), and reading it would hold up start-up.
 */
export const CONFIG_FILE_LIMIT_BYTES = 1024 * 1024;

/** The limit as the messages and the README say it. */
export const CONFIG_FILE_LIMIT_TEXT = '1 MiB';

/** The text of a configuration file, or what was expected of it (a phrase for the problem line). */
export type ConfigFileRead = { readonly text: string } | { readonly expected: string };

const CHUNK_BYTES = 64 * 1024;
// Not defined on Windows, where opening cannot block on a pipe the way it does on POSIX.
const NON_BLOCKING: number = (constants as { O_NONBLOCK?: number }).O_NONBLOCK ?? 0;

/**
 * Reads a JSON or YAML configuration file without ever blocking start-up: only a regular file
 * of at most {@link CONFIG_FILE_LIMIT_BYTES} is read. A FIFO, a directory, a device or a socket
 * is refused before it is opened, and again on the opened descriptor (opened non-blocking, so a
 * FIFO swapped in between cannot stall the open either).
 */
export function readConfigFile(path: string): ConfigFileRead {
  try {
    const found = statSync(path);
    if (!found.isFile()) return notRegular(found);
    if (found.size > CONFIG_FILE_LIMIT_BYTES) return tooLarge(String(found.size));
    const fd = openSync(path, constants.O_RDONLY | NON_BLOCKING);
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return notRegular(opened);
      return readBounded(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { expected: `a readable JSON or YAML file (${systemError(error)})` };
  }
}

// The size from stat may be stale (a file still being written): the read itself stops past the limit.
function readBounded(fd: number): ConfigFileRead {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const count = readSync(fd, chunk, 0, CHUNK_BYTES, null);
    if (count === 0) break;
    total += count;
    if (total > CONFIG_FILE_LIMIT_BYTES) return tooLarge(`more than ${CONFIG_FILE_LIMIT_BYTES}`);
    chunks.push(chunk.subarray(0, count));
  }
  return { text: Buffer.concat(chunks, total).toString('utf8') };
}

function notRegular(stats: Stats): ConfigFileRead {
  return { expected: `the path of a regular JSON or YAML file, not ${kindOf(stats)}` };
}

function tooLarge(size: string): ConfigFileRead {
  return { expected: `a JSON or YAML file of at most ${CONFIG_FILE_LIMIT_TEXT} (this one has ${size} bytes)` };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

// The code and the system's wording, without the path: the problem line shows the path once, escaped.
function systemError(error: unknown): string {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code !== 'string') return 'it could not be read';
  return typeof errno === 'number' ? `${code}: ${getSystemErrorMessage(errno)}` : code;
}
