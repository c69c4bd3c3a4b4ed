import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { DyntelConfig } from './config';
import { describeError, type Diagnostics } from './diagnostics';
import { runtimeNode } from './lazy';

/** The auto-instrumentations-node entry the register leaves out: it reports the runtime itself. */
export const UPSTREAM_RUNTIME_INSTRUMENTATION = '@opentelemetry/instrumentation-runtime-node';

/**
 * The Node.js runtime's metrics (event-loop delay and utilisation, GC, heap, active resources)
 * through upstream's runtime instrumentation, when DYNTEL_RUNTIME_METRICS allows it and some
 * metric exporter or the live view reads them: without a reader its event-loop histogram and GC observer would
 * cost the application for nothing. A failure costs the runtime metrics only.
 */
export function runtimeInstrumentations(config: DyntelConfig, diagnostics: Diagnostics): Instrumentation[] {
  // The live view reads them too, from a reader of its own when no metric exporter is configured.
  if (!config.instrumentations.runtime || (config.metrics.exporters.length === 0 && !config.live)) return [];
  try {
    // Its own copy of @opentelemetry/instrumentation's types may differ from ours by a patch version.
    return [new (runtimeNode().RuntimeNodeInstrumentation)() as unknown as Instrumentation];
  } catch (error) {
    diagnostics.error(`the Node.js runtime metrics could not be started (${describeError(error)}); they are not reported.`);
    return [];
  }
}

/**
 * Pauses the runtime metrics' observers (a GC at the end of the process would otherwise schedule
 * their delivery as an immediate) and returns what resumes them, so that the final flush still
 * reports them.
 */
export function pauseRuntimeObservers(runtime: readonly Instrumentation[]): () => void {
  for (const instrumentation of runtime) instrumentation.disable();
  return () => {
    for (const instrumentation of runtime) instrumentation.enable();
  };
}
