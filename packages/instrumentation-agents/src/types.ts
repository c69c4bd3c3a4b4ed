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

  /**
   * Record the content of OpenAI Agents SDK operations on spans: tool-call arguments and
   * results, and the messages of model calls. Off unless set here or by
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`, since prompts and tool results
   * can hold personal data.
   * @default false, or the environment variable
   */
  captureMessageContent?: boolean;
}
