import { diag, metrics, type Counter, type MeterProvider } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, METRIC_INSTRUMENTATION_ERRORS, Unit } from '@dyntel/semconv';
import { resolveErrorType } from './error-type';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

// Reporting every failure of a hot-path hook would flood the diagnostic log; the first few
// per label, then one in every thousand, say the same thing.
const REPORTED_IN_FULL = 5;
const REPORT_EVERY = 1000;
const failures = new Map<string, number>();

/**
 * Reports a fault inside instrumentation through the OpenTelemetry diagnostic logger, and counts
 * it on `dyntel.instrumentation.errors` of the global meter provider, so that telemetry missing
 * because of it can be alerted on.
 */
export function reportInstrumentationError(label: string, error: unknown): void {
  const count = (failures.get(label) ?? 0) + 1;
  failures.set(label, count);
  if (count <= REPORTED_IN_FULL || count % REPORT_EVERY === 0) {
    diag.error(`dyntel: ${label} failed (occurrence ${count}); the application was not affected`, error);
  }
  countFault(error);
}

// The counter of the global meter provider it was made on: the API's global provider is no
// proxy, so a counter made before the SDK registered would count into nothing for good.
let faults: { provider: MeterProvider; counter: Counter } | undefined;

function countFault(error: unknown): void {
  try {
    const provider = metrics.getMeterProvider();
    if (faults?.provider !== provider) {
      const counter = provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION).createCounter(METRIC_INSTRUMENTATION_ERRORS, {
        description: 'Faults caught inside dyntel instrumentation; the application was not affected, some telemetry is missing.',
        unit: Unit.ERROR,
      });
      faults = { provider, counter };
    }
    faults.counter.add(1, { [ATTR_ERROR_TYPE]: resolveErrorType(error) });
  } catch {
    // A meter that fails is likely what failed in the first place: reported above, not again.
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
