import { createNoopMeter, type LoggerProvider, type Meter, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { InstrumentationBase, InstrumentationConfig } from '@opentelemetry/instrumentation';

/** The error every fault throws. */
export class InstrumentationFault extends Error {
  override name = 'InstrumentationFault';
}

/** A fault put into an instrumentation: through its config (a user hook), or its providers once created. */
export interface Fault {
  title: string;
  config: InstrumentationConfig;
  apply(instrumentation: InstrumentationBase): void;
}

/** A meter provider whose instruments throw `boom` on every measurement and callback change. */
export function throwingMeterProvider(boom: () => never = () => {
  throw new InstrumentationFault('meter');
}): MeterProvider {
  const instrument = { record: boom, add: boom, addCallback: boom, removeCallback: boom };
  const meter: Meter = new Proxy(createNoopMeter(), { get: () => () => instrument });
  return { getMeter: () => meter } as MeterProvider;
}

/** Faults thrown into instrumentations, counted so a test can tell that its fault was exercised. */
export class FaultInjector {
  #raised = 0;

  /** How many times a fault has been raised. */
  get raised(): number {
    return this.#raised;
  }

  /** Throws an {@link InstrumentationFault}, counting it. */
  readonly boom = (): never => {
    this.#raised += 1;
    throw new InstrumentationFault('instrumentation fault');
  };

  /** A throwing tracer, meters whose instruments throw or that cannot create any, a throwing logger, and each named config hook throwing. */
  faults(hooks: readonly string[]): Fault[] {
    const boom = this.boom;
    const none = () => {};
    const throwingMeter: Meter = new Proxy(createNoopMeter(), { get: () => boom });
    return [
      { title: 'a tracer that throws', config: {}, apply: (i) => i.setTracerProvider({ getTracer: () => ({ startSpan: boom, startActiveSpan: boom }) } as unknown as TracerProvider) },
      { title: 'a meter whose instruments throw', config: {}, apply: (i) => i.setMeterProvider(throwingMeterProvider(boom)) },
      { title: 'a meter that cannot create instruments', config: {}, apply: (i) => i.setMeterProvider({ getMeter: () => throwingMeter } as MeterProvider) },
      { title: 'a logger that throws', config: {}, apply: (i) => i.setLoggerProvider({ getLogger: () => ({ emit: boom }) } as unknown as LoggerProvider) },
      ...hooks.map((hook) => ({ title: `a throwing ${hook}`, config: { [hook]: boom }, apply: none })),
    ];
  }
}
