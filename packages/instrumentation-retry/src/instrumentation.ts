import type { Meter } from '@opentelemetry/api';
import { DyntelInstrumentation, type AnyModulePatcher, type ConfigSchema, type FunctionExportPatcher } from '@dyntel/instrumentation-kit';
import { AsyncRetryPatcher } from './async-retry';
import { CockatielRetryPatcher } from './cockatiel';
import { ExponentialBackoffPatcher } from './exponential-backoff';
import { createRetryInstruments, type RetryInstruments } from './metrics';
import { PRetryPatcher } from './p-retry';
import { PromiseRetryPatcher } from './promise-retry';
import { RetryOperationPatcher } from './retry-operation';
import { RetryTelemetry } from './telemetry';
import type { RetryInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** The `retry` versions instrumented (used directly, and under p-retry 4-6, async-retry and promise-retry). */
export const RETRY_VERSIONS = '>=0.12 <1';
/** The async-retry versions instrumented. */
export const ASYNC_RETRY_VERSIONS = '>=1 <2';
/** The promise-retry versions instrumented. */
export const PROMISE_RETRY_VERSIONS = '>=2 <3';

/** The exponential-backoff versions instrumented. */
export const EXPONENTIAL_BACKOFF_VERSIONS = '>=3 <4';
/** The cockatiel versions whose retry policies are instrumented. */
export const COCKATIEL_VERSIONS = '>=3 <5';
/** The p-retry versions instrumented: 4 (CommonJS) to 9 (ESM only). */
export const P_RETRY_VERSIONS = '>=4 <10';

const CONFIG_SCHEMA: ConfigSchema = Object.freeze({ requestHook: 'function', responseHook: 'function', retryName: 'function' });

/**
 * OpenTelemetry instrumentation for retries: a `retry.call` span over each logical call with a
 * `retry.attempt` child per attempt, the backoff event before each wait, and the call and
 * attempt durations, attempts per call and retries counter, as the dyntel telemetry contract
 * names them.
 */
export class RetryInstrumentation extends DyntelInstrumentation<RetryInstrumentationConfig, RetryInstruments> {
  // Created on first use: the base constructor calls init() before field initialisers run.
  declare private _telemetry: RetryTelemetry | undefined;

  constructor(config: RetryInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The recorder every library patcher shares. */
  protected get telemetry(): RetryTelemetry {
    return (this._telemetry ??= new RetryTelemetry({
      tracer: () => this.tracer,
      logger: () => this.logger,
      config: () => this.config,
      instruments: () => this.instruments,
    }));
  }

  protected override configSchema(): ConfigSchema {
    return CONFIG_SCHEMA;
  }

  protected override createInstruments(meter: Meter): RetryInstruments {
    return createRetryInstruments(meter);
  }

  protected override patchers(): (AnyModulePatcher | FunctionExportPatcher)[] {
    const enabled = (): boolean => this.isEnabled();
    return [
      new RetryOperationPatcher(this.telemetry, this.shim, RETRY_VERSIONS),
      new AsyncRetryPatcher(this.telemetry, ASYNC_RETRY_VERSIONS, enabled),
      new PromiseRetryPatcher(this.telemetry, PROMISE_RETRY_VERSIONS, enabled),
      new ExponentialBackoffPatcher(this.telemetry, this.shim, EXPONENTIAL_BACKOFF_VERSIONS),
      new CockatielRetryPatcher(this.telemetry, this.shim, COCKATIEL_VERSIONS),
      new PRetryPatcher(this.telemetry, P_RETRY_VERSIONS, enabled),
    ];
  }
}
