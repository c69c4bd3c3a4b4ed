import { context } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createRecorder } from './index';

describe('isolate() without a context manager', () => {
  it('fails loudly instead of silently losing the scope', () => {
    context.disable(); // this file runs in its own worker; nothing else here needs one
    const recorder = createRecorder();
    expect(() => recorder.isolate(() => 1)).toThrow(/recorder.isolate\(\) needs an OpenTelemetry context manager[\s\S]*call installRecorder\(\)/);
  });
});
