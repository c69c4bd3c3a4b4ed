import type { Sampler } from '@opentelemetry/sdk-trace';
import { InstrumentationHarness } from '@dyntel/test-support';
import { PoolInstrumentation } from '../../src/instrumentation';
import type { PoolInstrumentationConfig } from '../../src/types';

/** The shared harness around a fresh PoolInstrumentation. */
export class Harness extends InstrumentationHarness<PoolInstrumentation, PoolInstrumentationConfig> {
  constructor(config: PoolInstrumentationConfig = {}, sampler?: Sampler) {
    super((c) => new PoolInstrumentation(c), config, { sampler });
  }
}
