export { CircuitBreakerInstrumentation, OPOSSUM_VERSIONS, COCKATIEL_VERSIONS } from './instrumentation';
export { nameCircuitBreaker } from './naming';
export type {
  BreakerNameInfo,
  CircuitBreakerCallEndInfo,
  CircuitBreakerCallInfo,
  CircuitBreakerInstrumentationConfig,
  CircuitBreakerLibrary,
  CircuitBreakerSpanHook,
} from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
