import type { Span } from '@opentelemetry/api';
import { reportInstrumentationError } from './guard';

/** A user hook that adds attributes to a span: `requestHook`, `responseHook` and their kind. */
export type SpanHook<Info> = (span: Span, info: Info) => void;

/**
 * Runs a user hook so that it can never reach user code: a throw is reported through the
 * OpenTelemetry diagnostic logger under `label` (rate-limited) and the operation goes on.
 */
export function runHook<Info>(label: string, hook: SpanHook<Info>, span: Span, info: Info): void {
  try {
    hook(span, info);
  } catch (error) {
    reportInstrumentationError(label, error);
  }
}
