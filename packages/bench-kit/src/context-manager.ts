import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * Installs the context manager a Node SDK installs, so that `context.with()` costs in a
 * benchmark what it costs in an application. Call once, before anything is measured.
 */
export function useAsyncLocalStorageContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
