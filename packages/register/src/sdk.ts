// `@dyntel/register/sdk`: the building blocks, without side effects, for applications that
// construct their own NodeSDK.
export { getDyntelInstrumentations, selectInstrumentations, type DyntelInstrumentationsOptions, type InstrumentationSelection } from './get-instrumentations';
export { DYNTEL_INSTRUMENTATIONS, type InstrumentationFactory } from './instrumentations';
export { readDyntelConfig, type DyntelConfig, type ConfigReading, type OtlpTarget, type BatchSettings, type Env } from './config';
export { TRACE_EXPORTERS, METRIC_EXPORTERS, LOG_EXPORTERS, OTLP_PROTOCOLS, OTLP_COMPRESSIONS } from './env-variables';
export { formatProblem, type ConfigProblem } from './diagnostics';
export { registerEsmHooks, type EsmHookRegistration } from './esm-hooks';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
