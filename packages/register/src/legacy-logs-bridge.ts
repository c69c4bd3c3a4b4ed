import { logs } from '@opentelemetry/api';
import type * as ApiLogs from '@opentelemetry/api-logs';
import { apiLogs } from './lazy';

/**
 * Since @opentelemetry/api 1.10 the Logs API lives in @opentelemetry/api, and the NodeSDK
 * registers its LoggerProvider there only. Code that still emits through the separate
 * @opentelemetry/api-logs package (it keeps its own global) would lose every record; so the
 * same provider is registered there as well.
 * Returns false when that global was already taken by someone else. Called only when a logger
 * provider was registered, so that the older package is loaded only then.
 */
export function bridgeLegacyLogsApi(): boolean {
  const provider = logs.getLoggerProvider();
  // The SDK's LoggerProvider implements both interfaces: getLogger() returning a Logger with emit().
  return apiLogs().logs.setGlobalLoggerProvider(provider as unknown as ApiLogs.LoggerProvider) === (provider as unknown);
}
