import { AgentsInstrumentation, type AgentsInstrumentationConfig } from '@dyntel/instrumentation-agents';
import { CircuitBreakerInstrumentation, type CircuitBreakerInstrumentationConfig } from '@dyntel/instrumentation-circuit-breaker';
import { PoolInstrumentation, type PoolInstrumentationConfig } from '@dyntel/instrumentation-pool';
import { RetryInstrumentation, type RetryInstrumentationConfig } from '@dyntel/instrumentation-retry';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Builds one dyntel instrumentation; `config` comes from `getDyntelInstrumentations({ config })`. */
export type InstrumentationFactory = (config?: InstrumentationConfig) => Instrumentation;

/**
 * Every dyntel instrumentation, by the short id users write in DYNTEL_ENABLED_INSTRUMENTATIONS
 * and DYNTEL_DISABLED_INSTRUMENTATIONS. Adding a package is one line here plus its dependency
 * in package.json.
 */
export const DYNTEL_INSTRUMENTATIONS: Readonly<Record<string, InstrumentationFactory>> = {
  'circuit-breaker': (config) => new CircuitBreakerInstrumentation(config as CircuitBreakerInstrumentationConfig),
  retry: (config) => new RetryInstrumentation(config as RetryInstrumentationConfig),
  pool: (config) => new PoolInstrumentation(config as PoolInstrumentationConfig),
  agents: (config) => new AgentsInstrumentation(config as AgentsInstrumentationConfig),
};

/**
 * The instrumentations of @opentelemetry/auto-instrumentations-node that a dyntel one replaces,
 * by dyntel id: while the dyntel one is enabled, the upstream one is not created (upstream's
 * generic-pool instrumentation wraps the same `acquire`, with an attribute-less span).
 */
export const SUPERSEDED_UPSTREAM: Readonly<Record<string, readonly string[]>> = {
  pool: ['@opentelemetry/instrumentation-generic-pool'],
};
