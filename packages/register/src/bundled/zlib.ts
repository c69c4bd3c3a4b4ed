import type { Gzip, ZlibOptions } from 'node:zlib';
import { nodeZlib } from '../lazy';

/**
 * What the bundled OTLP HTTP transport uses of node:zlib, which it imports at the top of its
 * module: loaded on the first gzip-compressed export instead of when the exporter is created.
 */
export function createGzip(options?: ZlibOptions): Gzip {
  return nodeZlib().createGzip(options);
}
