import { diag } from '@opentelemetry/api';
import { invalidValueMessage } from '@dyntel/instrumentation-kit';

/** The variable that turns content capture on for every GenAI instrumentation. */
export const CAPTURE_CONTENT_VARIABLE = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';

/**
 * Whether the environment asks for content capture: `true` (any case) does, unset, empty or
 * `false` does not, and any other value is reported in the one message format and does not.
 */
export function captureContentFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[CAPTURE_CONTENT_VARIABLE];
  if (value === undefined || value.trim() === '') return false;
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised !== 'false') {
    diag.warn(
      invalidValueMessage({
        source: '@dyntel/instrumentation-agents',
        subject: CAPTURE_CONTENT_VARIABLE,
        value,
        expected: 'true or false',
        consequence: 'content is not captured',
      }),
    );
  }
  return false;
}
