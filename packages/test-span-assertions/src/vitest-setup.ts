import { afterEach, beforeEach } from 'vitest';
import { installRecorder } from './install';
import './vitest';

/**
 * Vitest setup file (`setupFiles: ['@dyntel/test-span-assertions/vitest-setup']`): installs the
 * global recorder once and empties it before each test. While concurrent tests are running the
 * buffer is left alone (clearing it would hide telemetry another test is about to await); their
 * isolation comes from `recorder.isolate()` scopes instead.
 */
const recorder = installRecorder();
let running = 0;

beforeEach(() => {
  if (running === 0) recorder.reset();
  running += 1;
});

afterEach(() => {
  running -= 1;
});
