export { ASYNC_RETRY_VERSIONS, COCKATIEL_VERSIONS, EXPONENTIAL_BACKOFF_VERSIONS, PROMISE_RETRY_VERSIONS, P_RETRY_VERSIONS, RETRY_VERSIONS, RetryInstrumentation } from './instrumentation';
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
