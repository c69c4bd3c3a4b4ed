import { diag } from '@opentelemetry/api';

// Reporting every failure of a hot-path hook would flood the diagnostic log; the first few
// per label, then one in every thousand, say the same thing.
const REPORTED_IN_FULL = 5;
const REPORT_EVERY = 1000;
const failures = new Map<string, number>();

/** Reports a fault inside instrumentation through the OpenTelemetry diagnostic logger. */
export function reportInstrumentationError(label: string, error: unknown): void {
  const count = (failures.get(label) ?? 0) + 1;
  failures.set(label, count);
  if (count <= REPORTED_IN_FULL || count % REPORT_EVERY === 0) {
    diag.error(`dyntel: ${label} failed (occurrence ${count}); the application was not affected`, error);
  }
}

/**
 * Runs instrumentation code so that it can never throw into user code: an exception is
 * reported through the diagnostic logger and `fallback` is returned instead.
 */
export function safely<T>(label: string, fn: () => T, fallback: T): T;
export function safely<T>(label: string, fn: () => T): T | undefined;
export function safely<T>(label: string, fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch (error) {
    reportInstrumentationError(label, error);
    return fallback;
  }
}
