import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { captureContentFromEnv } from './content-capture';

describe('captureContentFromEnv', () => {
  afterEach(() => diag.disable());

  it('true turns capture on; unset, empty and false leave it off', () => {
    expect(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' })).toBe(true);
    expect(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: ' TRUE ' })).toBe(true);
    expect(captureContentFromEnv({})).toBe(false);
    expect(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: '' })).toBe(false);
    expect(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'false' })).toBe(false);
  });

  it('any other value: off, and one line in the one message format', () => {
    const warnings: string[] = [];
    diag.setLogger({ warn: (m: string) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    expect(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes\n' })).toBe(false);
    expect(warnings).toEqual([
      '@dyntel/instrumentation-agents: invalid OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "yes\\n"; expected true or false; content is not captured',
    ]);
  });
});
