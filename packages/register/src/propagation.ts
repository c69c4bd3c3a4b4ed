import type { TextMapPropagator } from '@opentelemetry/api';
import type { PropagatorName } from './env-variables';
import { core, propagatorB3 } from './lazy';

/**
 * The propagator OTEL_PROPAGATORS names (tracecontext and baggage by default), or undefined for
 * `none` or no known name; the B3 package is loaded only for b3 or b3multi.
 */
export function textMapPropagator(names: readonly PropagatorName[]): TextMapPropagator | undefined {
  const build: Record<PropagatorName, () => TextMapPropagator> = {
    tracecontext: () => new (core().W3CTraceContextPropagator)(),
    baggage: () => new (core().W3CBaggagePropagator)(),
    b3: () => new (propagatorB3().B3Propagator)(),
    b3multi: () => new (propagatorB3().B3Propagator)({ injectEncoding: propagatorB3().B3InjectEncoding.MULTI_HEADER }),
  };
  const propagators = names.map((name) => build[name]());
  if (propagators.length <= 1) return propagators[0];
  return new (core().CompositePropagator)({ propagators });
}
