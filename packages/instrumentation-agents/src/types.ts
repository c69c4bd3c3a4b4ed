import type { DyntelInstrumentationConfig } from '@dyntel/instrumentation-kit';

/** Configuration of {@link AgentsInstrumentation}. Every option is optional. */
export interface AgentsInstrumentationConfig extends DyntelInstrumentationConfig {
  /**
   * Record an `actor.message` span per actor message, from its send to the end of its
   * processing. Actor systems can be very chatty, so these are off unless asked for; metrics
   * and the `actor.system` span are recorded either way.
   * @default false
   */
  messageSpans?: boolean;
}
