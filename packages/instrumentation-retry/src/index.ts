export { RetryInstrumentation } from './instrumentation';
export { nameRetry } from './naming';
export type {
  RetryCallEndInfo,
  RetryCallInfo,
  RetryInstrumentationConfig,
  RetryLibrary,
  RetryNameInfo,
  RetrySpanHook,
} from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
