import type { Sampler } from '@opentelemetry/sdk-trace';
import { InstrumentationHarness } from '@dyntel/test-support';
import { RetryInstrumentation } from '../../src/instrumentation';
import type { RetryInstrumentationConfig } from '../../src/types';

/** The p-retry packages installed for tests: 4 is CommonJS, 5 and later ESM only (npm aliases, then the real name). */
export const P_RETRY_PACKAGES = ['p-retry-v4', 'p-retry-v5', 'p-retry-v6', 'p-retry-v7', 'p-retry-v8', 'p-retry'] as const;
/** The cockatiel packages installed for tests: v3 (CJS, alias) and v4 (ESM only). */
export const COCKATIEL_PACKAGES = ['cockatiel-v3', 'cockatiel'] as const;

/** The shared harness around a fresh RetryInstrumentation. */
export class Harness extends InstrumentationHarness<RetryInstrumentation, RetryInstrumentationConfig> {
  constructor(config: RetryInstrumentationConfig = {}, sampler?: Sampler) {
    super((c) => new RetryInstrumentation(c), config, { sampler });
  }
}
