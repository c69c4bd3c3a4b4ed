import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type * as AutoInstrumentations from '@opentelemetry/auto-instrumentations-node';
import { describeError, type Diagnostics } from './diagnostics';

const AUTO_PACKAGE = '@opentelemetry/auto-instrumentations-node';

/**
 * The instrumentations of @opentelemetry/auto-instrumentations-node when it is installed next
 * to @dyntel/register (an optional peer), so that one SDK covers http, express, pg... and
 * dyntel. It reads OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS
 * itself. Those named in `superseded` are not created: a dyntel instrumentation patches the
 * same library, and two wrappers of one library's methods would record it twice (or, where
 * one hides the library's promise from the other, not at all). Not installed: an empty list,
 * said at debug level only.
 */
export function loadAutoInstrumentations(diagnostics: Diagnostics, superseded: readonly string[] = []): Instrumentation[] {
  // Resolved from this package's location: the peer sits next to it in node_modules.
  const load = createRequire(import.meta.url);
  let auto: typeof AutoInstrumentations;
  try {
    auto = load(AUTO_PACKAGE) as typeof AutoInstrumentations;
  } catch (error) {
    if (isMissing(error)) {
      diagnostics.debug(`${AUTO_PACKAGE} is not installed; only dyntel instrumentations are active.`);
    } else {
      diagnostics.warn(`${AUTO_PACKAGE} is installed but could not be loaded (${describeError(error)}); only dyntel instrumentations are active.`);
    }
    return [];
  }
  try {
    return auto.getNodeAutoInstrumentations(Object.fromEntries(superseded.map((name) => [name, { enabled: false }])));
  } catch (error) {
    diagnostics.warn(`${AUTO_PACKAGE} failed to create its instrumentations (${describeError(error)}); only dyntel instrumentations are active.`);
    return [];
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${AUTO_PACKAGE}'`);
}
